import { type Config, ConfigError, loadConfig } from '../config';
import { closeRedis, connectRedis, FAIL_FAST, type RedisClient, RedisUnavailableError } from '../redis';

export interface CliIo {
  out: NodeJS.WritableStream;
  /** A terminal or not decides whether progress is drawn. */
  err: NodeJS.WriteStream;
  in: NodeJS.ReadableStream;
}

/**
 * Runs an operator command against the service's own Redis (REDIS_URL or its Cluster/Sentinel
 * settings, REDIS_PREFIX), so the command acts on exactly what the running service sees. A bad
 * setting is exit 2 and unreachable Redis exit 1, each one line, as at the service's start.
 */
export async function withServiceRedis(io: CliIo, name: string, run: (conn: RedisClient, config: Config) => Promise<number>): Promise<number> {
  let config: Config;
  try {
    config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.err.write(`decorum ${name}: ${err.message}\n`);
    return 2;
  }
  let conn: RedisClient;
  try {
    conn = await connectRedis(config.redis, FAIL_FAST);
  } catch (err) {
    if (!(err instanceof RedisUnavailableError)) throw err;
    io.err.write(`decorum ${name}: ${err.message}\n`);
    return 1;
  }
  try {
    return await run(conn, config);
  } catch (err) {
    if (!(err instanceof RedisUnavailableError)) throw err;
    io.err.write(`decorum ${name}: ${err.message}\n`);
    return 1;
  } finally {
    await closeRedis(conn);
  }
}
