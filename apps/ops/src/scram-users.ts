/* eslint-disable @typescript-eslint/no-require-imports */
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { ScramOptions } from '@jobstream/messaging/kafka.client';

/**
 * Creates SCRAM-SHA-512 users on the broker (AlterUserScramCredentials, KIP-554). kafkajs 2.x has
 * no such call, and the Kafka CLI needs a JVM the ops image doesn't carry, so this sends that one
 * request itself over kafkajs's own (authenticated) broker connection.
 */

interface Encoder {
  writeInt8(v: number): Encoder;
  writeInt16(v: number): Encoder;
  writeInt32(v: number): Encoder;
  writeUVarInt(v: number): Encoder;
  writeUVarIntString(v: string): Encoder;
  writeBufferInternal(b: Buffer): Encoder;
}
interface Decoder {
  readInt16(): number;
  readInt32(): number;
  readUVarInt(): number;
  readUVarIntString(): string | null;
}
interface ProtocolRequest {
  request: { apiKey: number; apiVersion: number; apiName: string; encode: () => Promise<Encoder> };
  response: { decode: (payload: Buffer) => Promise<AlterResult[]>; parse: (d: AlterResult[]) => Promise<AlterResult[]> };
}
interface BrokerLike {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  connectionPool: { send(r: ProtocolRequest): Promise<AlterResult[]> };
}
interface AlterResult {
  user: string;
  errorCode: number;
  errorMessage: string | null;
}

const EncoderClass = require('kafkajs/src/protocol/encoder') as new () => Encoder;
const DecoderClass = require('kafkajs/src/protocol/decoder') as new (b: Buffer) => Decoder;
const BrokerClass = require('kafkajs/src/broker') as new (o: object) => BrokerLike;
const ConnectionPoolClass = require('kafkajs/src/network/connectionPool') as new (o: object) => object;
const socketFactory = require('kafkajs/src/network/socketFactory') as () => unknown;
const { createLogger } = require('kafkajs/src/loggers') as { createLogger: (o: { level: number; logCreator: () => () => void }) => unknown };

const ALTER_USER_SCRAM_CREDENTIALS = 51;
const SCRAM_SHA_512 = 2;
/** The broker's own default; it refuses fewer than 4096. */
export const SCRAM_ITERATIONS = 4096;

export interface ScramUser {
  readonly name: string;
  readonly password: string;
}

/** RFC 5802 Hi(): the salted password the broker stores instead of the password. */
export const saltedPassword = (password: string, salt: Buffer, iterations = SCRAM_ITERATIONS): Buffer => pbkdf2Sync(password, salt, iterations, 64, 'sha512');

const compactBytes = (e: Encoder, b: Buffer) => e.writeUVarInt(b.length + 1).writeBufferInternal(b);

/** Request v0 is a "flexible" one: header v2 (a tag buffer after the client id), compact types. */
export function encodeUpsertions(users: readonly ScramUser[]): Encoder {
  const e = new EncoderClass();
  e.writeUVarInt(0); // header tag buffer: kafkajs writes header v1, this byte completes v2
  e.writeUVarInt(1); // deletions: none
  e.writeUVarInt(users.length + 1);
  for (const user of users) {
    const salt = randomBytes(32);
    e.writeUVarIntString(user.name).writeInt8(SCRAM_SHA_512).writeInt32(SCRAM_ITERATIONS);
    compactBytes(e, salt);
    compactBytes(e, saltedPassword(user.password, salt));
    e.writeUVarInt(0);
  }
  e.writeUVarInt(0);
  return e;
}

export function decodeResults(payload: Buffer): AlterResult[] {
  const d = new DecoderClass(payload);
  d.readUVarInt(); // response header v1 tag buffer
  d.readInt32(); // throttle time
  const results: AlterResult[] = [];
  for (let n = d.readUVarInt() - 1; n > 0; n--) {
    const user = d.readUVarIntString() ?? '';
    const errorCode = d.readInt16();
    const errorMessage = d.readUVarIntString();
    d.readUVarInt();
    results.push({ user, errorCode, errorMessage });
  }
  return results;
}

export interface BrokerAddress {
  readonly brokers: readonly string[];
  readonly sasl: ScramOptions | undefined;
  readonly connectionTimeout: number;
  readonly requestTimeout: number;
}

/** Sets the users' SCRAM-SHA-512 passwords (creating the users); throws naming the users it could not. */
export async function upsertScramUsers(at: BrokerAddress, users: readonly ScramUser[]): Promise<void> {
  if (users.length === 0) return;
  const [host, port] = at.brokers[0].split(':');
  const logger = createLogger({ level: logLevel.NOTHING, logCreator: () => () => undefined });
  const pool = new ConnectionPoolClass({
    host,
    port: Number(port),
    logger,
    socketFactory: socketFactory(),
    sasl: at.sasl,
    clientId: 'jobstream-ops-provision',
    connectionTimeout: at.connectionTimeout,
    requestTimeout: at.requestTimeout,
    enforceRequestTimeout: true,
  });
  const broker = new BrokerClass({ connectionPool: pool, logger, allowAutoTopicCreation: false });
  await broker.connect();
  try {
    const results = await broker.connectionPool.send({
      request: { apiKey: ALTER_USER_SCRAM_CREDENTIALS, apiVersion: 0, apiName: 'AlterUserScramCredentials', encode: () => Promise.resolve(encodeUpsertions(users)) },
      response: { decode: (payload) => Promise.resolve(decodeResults(payload)), parse: (r) => Promise.resolve(r) },
    });
    const failed = results.filter((r) => r.errorCode !== 0);
    if (failed.length > 0) throw new Error(`SCRAM users not set: ${failed.map((f) => `${f.user} (error ${f.errorCode}${f.errorMessage ? `: ${f.errorMessage}` : ''})`).join(', ')}`);
  } finally {
    await broker.disconnect();
  }
}

/** True when the user can log in with this password: provisioning then leaves it alone. */
export async function canLogIn(at: BrokerAddress, user: ScramUser): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'jobstream-ops-provision-check',
    brokers: [...at.brokers],
    sasl: { mechanism: 'scram-sha-512', username: user.name, password: user.password },
    connectionTimeout: at.connectionTimeout,
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    return true;
  } catch (err) {
    if ((err as Error).name === 'KafkaJSSASLAuthenticationError' || /SASL|authenticat/i.test((err as Error).message)) return false;
    throw err;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
