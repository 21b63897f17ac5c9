import { Param } from '@nestjs/common';
import { isInt64Id } from '../common/int64-id';
import { PatternPipe } from '../common/params';
import { installationNotFound } from './github.errors';

/** GitHub installation ids are positive integers that fit int64 (PostgreSQL's bigint); the hub carries them as decimal strings. */
export const isGithubInstallationId = (value: unknown): value is string => isInt64Id(value);

/** An installation id path parameter: anything that is not one names no installation (404, GitHub's answer). */
export const InstallationIdParam = (name = 'installation_id') => Param(name, new PatternPipe(isGithubInstallationId, installationNotFound));
