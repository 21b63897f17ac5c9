import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, Server } from 'node:https';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// dns2 ships no types for its server classes; this is the small surface the fake uses.
const { Packet, UDPServer } = require('dns2') as {
  Packet: { TYPE: Record<string, number>; CLASS: Record<string, number>; createResponseFromRequest(req: unknown): DnsPacket };
  UDPServer: new (handler: (req: DnsPacket, send: (res: DnsPacket) => void) => void) => DnsSocket;
};

interface DnsPacket {
  header: { rcode: number };
  questions: Array<{ name: string; type: number }>;
  answers: unknown[];
}
interface DnsSocket {
  listen(port: number, address: string): Promise<void>;
  address(): AddressInfo;
  close(cb?: () => void): void;
}

/** What the fake DNS server answers for a TXT name: a value, NXDOMAIN, SERVFAIL, or silence (a timeout). */
export type TxtAnswer = string | 'NXDOMAIN' | 'SERVFAIL' | 'TIMEOUT';

export interface FakeDns {
  port: number;
  txt: Map<string, TxtAnswer>;
  /** CNAME answers by name (same special values as TXT). */
  cname: Map<string, TxtAnswer>;
  queries: string[];
  close(): Promise<void>;
}

/** A real DNS server on a loopback UDP port (unknown names: NXDOMAIN). */
export async function startFakeDns(): Promise<FakeDns> {
  const txt = new Map<string, TxtAnswer>();
  const cname = new Map<string, TxtAnswer>();
  const queries: string[] = [];
  const server = new UDPServer((request, send) => {
    const response = Packet.createResponseFromRequest(request);
    const [question] = request.questions;
    const name = question.name.toLowerCase();
    queries.push(name);
    const answer = (question.type === Packet.TYPE.CNAME ? cname.get(name) : txt.get(name)) ?? 'NXDOMAIN';
    if (answer === 'TIMEOUT') return;
    if (answer === 'NXDOMAIN') response.header.rcode = 3;
    else if (answer === 'SERVFAIL') response.header.rcode = 2;
    else if (question.type === Packet.TYPE.TXT) {
      response.answers.push({ name: question.name, type: Packet.TYPE.TXT, class: Packet.CLASS.IN, ttl: 60, data: answer });
    } else if (question.type === Packet.TYPE.CNAME) {
      response.answers.push({ name: question.name, type: Packet.TYPE.CNAME, class: Packet.CLASS.IN, ttl: 60, domain: answer });
    }
    send(response);
  });
  await server.listen(0, '127.0.0.1');
  return { port: server.address().port, txt, cname, queries, close: () => new Promise((r) => server.close(() => r())) };
}

export interface TestCa {
  dir: string;
  caFile: string;
  keyFile: string;
  certFile: string;
  close(): void;
}

/** A throwaway CA and a server certificate for 127.0.0.1 and localhost, made with the openssl CLI. */
export function makeTestCa(): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'hub-ca-'));
  const f = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=Hub Test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1');
  writeFileSync(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.pem'), '-days', '2', '-extfile', f('ext.cnf'));
  return { dir, caFile: f('ca.pem'), keyFile: f('server.key'), certFile: f('server.pem'), close: () => rmSync(dir, { recursive: true, force: true }) };
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface FakeHttps {
  port: number;
  hits: string[];
  setHandler(handler: Handler): void;
  close(): Promise<void>;
}

/** An HTTPS server on loopback with a certificate from the test CA. */
export async function startFakeHttps(ca: TestCa, handler: Handler): Promise<FakeHttps> {
  const hits: string[] = [];
  let current = handler;
  const server: Server = createServer({ key: readFileSync(ca.keyFile), cert: readFileSync(ca.certFile) }, (req, res) => {
    hits.push(req.url ?? '');
    current(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    hits,
    setHandler: (h) => (current = h),
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
