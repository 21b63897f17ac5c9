// Packages that offer only an `import` export condition cannot be resolved by jest's `require` conditions;
// fall back to `import` for them (swc then turns the ESM into CommonJS).
module.exports = (path, options) => {
  try {
    return options.defaultResolver(path, options);
  } catch (err) {
    return options.defaultResolver(path, { ...options, conditions: ['import', 'node', 'default'] });
  }
};
