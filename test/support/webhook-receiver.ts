import { Webhook } from 'standardwebhooks';
import { FakeReply, SeenRequest, startFakeServer } from '../fakes/fake-server';
import { waitFor } from './github';
import { http } from './http';
import type { TestHub } from './hub-harness';

export interface ReceivedEvent {
  id: string;
  type: string;
  timestamp: string;
  organization_id: string;
  data: Record<string, any>;
}

/** How an endpoint answers its n-th request (1-based); default 204. */
export type EndpointBehaviour = (n: number, req: SeenRequest) => FakeReply | Promise<FakeReply>;

/**
 * Internal services on loopback: one HTTP server, one path per endpoint, each verifying what it receives with
 * the real `standardwebhooks` package under the secrets it was given.
 */
export async function startWebhookReceiver() {
  const behaviours = new Map<string, EndpointBehaviour>();
  const counts = new Map<string, number>();
  const server = await startFakeServer((req) => {
    const n = (counts.get(req.path) ?? 0) + 1;
    counts.set(req.path, n);
    return (behaviours.get(req.path) ?? (() => ({ status: 204 })))(n, req);
  });
  return {
    server,
    url: (path: string) => `${server.url}${path}`,
    on(path: string, behaviour: EndpointBehaviour) {
      behaviours.set(path, behaviour);
    },
    requests: (path: string) => server.requests.filter((r) => r.path === path),
    /** Requests to `path` whose signature verifies under `secret` (throws on any that does not), parsed. */
    verified(path: string, secret: string): ReceivedEvent[] {
      const hook = new Webhook(secret);
      return server.requests.filter((r) => r.path === path).map((r) => hook.verify(r.body, r.headers as Record<string, string>) as ReceivedEvent);
    },
    close: () => server.close(),
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

/** Subscribes `url` to `events` in the organization; returns the subscription and its secret. */
export async function subscribe(t: TestHub, url: string, events: string[], organizationId = t.organizationId, key = t.key): Promise<{ id: string; secret: string }> {
  const res = await http(t.url, 'POST', `/api/organizations/${organizationId}/webhooks`, { key, body: { url, events } });
  if (res.status !== 201) throw new Error(`subscribe failed: ${res.status} ${res.text}`);
  return { id: res.body.id, secret: res.body.secret };
}

/** Waits until the endpoint has received (and verified) an event matching `match`. */
export function receivedEvent(receiver: WebhookReceiver, path: string, secret: string, match: (e: ReceivedEvent) => boolean, timeoutMs = 15_000): Promise<ReceivedEvent> {
  return waitFor(async () => receiver.verified(path, secret).find(match), timeoutMs);
}
