import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { publicKeyRecords } from './domain-connect.signer';

export interface KeygenResult {
  privateKeyPem: string;
  records: string[];
}

/** A fresh RSA-2048 signing key pair and the TXT records that publish its public half. */
export function generateDomainConnectKey(): KeygenResult {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { privateKeyPem, records: publicKeyRecords(privateKeyPem) };
}

/**
 * `domain-connect:keygen [--out <file>] [--key-id <id>] [--domain <syncPubKeyDomain>]`: writes the private key
 * (mode 0600) or prints it, and prints the TXT records to publish at `<key-id>.<domain>`.
 */
export function runDomainConnectKeygen(args: string[], print: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): void {
  const option = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const keyId = option('--key-id') ?? process.env.DOMAIN_CONNECT_KEY_ID ?? '_dcpubkeyv1';
  const domain = option('--domain') ?? process.env.DOMAIN_CONNECT_PUBKEY_DOMAIN ?? process.env.DOMAIN_CONNECT_PROVIDER_ID ?? '<syncPubKeyDomain>';
  const out = option('--out');
  const { privateKeyPem, records } = generateDomainConnectKey();
  if (out) {
    writeFileSync(out, privateKeyPem, { mode: 0o600 });
    print(`Private key written to ${out}; set DOMAIN_CONNECT_PRIVATE_KEY=@${out}`);
  } else {
    print('Set DOMAIN_CONNECT_PRIVATE_KEY to this private key (keep it secret):');
    print(privateKeyPem);
  }
  print(`Publish these TXT records at ${keyId}.${domain}:`);
  for (const record of records) print(record);
}
