// The process's structured logger (pino); Fastify logs through the same instance. Logs never
// carry passwords, session tokens, one-time codes, phone or ID numbers.
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';
import { redactUrl } from './http/redact.js';

interface LoggedRequest {
  method?: string;
  url?: string;
  ip?: string;
}

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'res.headers["set-cookie"]',
        '*.password',
        '*.phone',
        '*.code',
        '*.idNumber',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: LoggedRequest) => ({ method: req.method, url: redactUrl(req.url ?? ''), remoteAddress: req.ip }),
      err: pino.stdSerializers.err,
    },
  });
}
