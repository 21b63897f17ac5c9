import { ErrorCode } from '../common/error-codes';
import { HubError } from '../common/hub-error';

/** A scrape without the instance's METRICS_TOKEN (a tenant API key included). */
export const metricsTokenInvalid = () =>
  new HubError(ErrorCode.MetricsTokenInvalid, 'Invalid or missing metrics token: /api/metrics takes METRICS_TOKEN as a bearer token, not an API key', {
    headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' },
  });
/** Metrics are off on this listener: no METRICS_TOKEN (and maybe a loopback METRICS_PORT instead). */
export const metricsNotEnabled = (port?: number) =>
  new HubError(
    ErrorCode.MetricsNotEnabled,
    port === undefined
      ? 'Metrics are not enabled: set METRICS_TOKEN (bearer token for /api/metrics) or METRICS_PORT (loopback listener)'
      : `Metrics are served on 127.0.0.1:${port} (METRICS_PORT); set METRICS_TOKEN to serve them here too`,
    { details: { missing: ['METRICS_TOKEN'] } },
  );
