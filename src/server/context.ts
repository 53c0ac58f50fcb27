// What every module's routes and services get: the database, the config and the field crypto.
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.js';
import type { FieldCrypto } from './crypto/fields.js';
import type { Db, DatabaseKind } from './db/connect.js';

export interface AppContext {
  db: Db;
  dbKind: DatabaseKind;
  config: Config;
  crypto: FieldCrypto;
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;
