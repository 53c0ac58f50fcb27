// What every module's routes and services get: the database, the config and the field crypto.
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.js';
import type { FieldCrypto } from './crypto/fields.js';
import type { Db, DatabaseKind } from './db/connect.js';
import type { Logger } from 'pino';
import type { SmsProvider } from './notify/sms.js';

export interface AppContext {
  db: Db;
  dbKind: DatabaseKind;
  config: Config;
  crypto: FieldCrypto;
  log: Logger;
  sms: SmsProvider;
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** Where a request came from, for the audit log. */
export interface Origin {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}
