import { Logger } from '@nestjs/common';
import { TypeOrmJsonLogger } from './typeorm-logger';

describe('TypeOrmJsonLogger', () => {
  it('logs a failing query through the Nest logger with its parameters redacted', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const err = Object.assign(new Error('duplicate key value violates unique constraint "IDX_x"'), { code: '23505' });
      new TypeOrmJsonLogger().logQueryError(err, 'INSERT INTO "integrations"("verify_token") VALUES ($1)', ['verify-token-s3cr3t', 'owner@example.test']);
      expect(warn).toHaveBeenCalledTimes(1);
      const line = String(warn.mock.calls[0][0]);
      expect(line).toContain('query failed (23505): duplicate key value');
      expect(line).toContain('2 parameters (redacted)');
      expect(line).not.toContain('s3cr3t');
      expect(line).not.toContain('owner@example.test');
    } finally {
      warn.mockRestore();
    }
  });
});
