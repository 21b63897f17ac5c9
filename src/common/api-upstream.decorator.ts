import { applyDecorators } from '@nestjs/common';
import { ApiBadGatewayResponse, ApiGatewayTimeoutResponse, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { ErrorBodyDto } from './dto/error-body.dto';

/**
 * Documents what a route that calls a provider (or needs the queue) can answer when that fails: 502 when the
 * provider cannot be reached or answers garbage, 503 when the hub's own queue/lock store or the provider's
 * configuration is missing, 504 when the provider does not answer in time. Faces render these in their dialect.
 */
export const ApiUpstream = () =>
  applyDecorators(
    ApiBadGatewayResponse({ description: 'The provider could not be reached, refused the hub\'s credentials or answered something unreadable (`UPSTREAM_UNREACHABLE`, `PROVIDER_ERROR`, ...)', type: ErrorBodyDto }),
    ApiServiceUnavailableResponse({ description: 'The queue or lock store (Redis) is unreachable, or the provider is not configured on this hub; retry after `Retry-After`', type: ErrorBodyDto }),
    ApiGatewayTimeoutResponse({ description: 'The provider did not answer in time (`UPSTREAM_TIMEOUT`)', type: ErrorBodyDto }),
  );
