// The container health check (Dockerfile HEALTHCHECK) for every role: the API and a worker both answer
// /api/healthz on PORT. Exits 0 when it answers 200 within 4 s.
const port = process.env.PORT || '3000';
fetch(`http://127.0.0.1:${port}/api/healthz`, { signal: AbortSignal.timeout(4000) }).then(
  (res) => process.exit(res.ok ? 0 : 1),
  () => process.exit(1),
);
