// Text messages go through a provider. The default one only writes them to the log (marked as
// development only) so that everything works offline; a real gateway implements the same shape.
import { appendFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { maskPhone } from '../crypto/fields.js';

export type SmsMessage =
  | { phone: string; template: 'one_time_code'; params: { code: string; minutes: string } }
  | { phone: string; template: 'matter_update'; params: { number: string; step: string } };

export interface SmsProvider {
  send(message: SmsMessage): Promise<void>;
}

function text(message: SmsMessage): string {
  switch (message.template) {
    case 'one_time_code':
      return `【暖新】您的验证码是 ${message.params.code}，${message.params.minutes} 分钟内有效。请勿告诉他人。`;
    case 'matter_update':
      return `【暖新】您的事项（编号 ${message.params.number}）有新进展：${message.params.step}。请打开暖新查看。`;
  }
}

/** Development only: the code appears in the log next to the masked number. */
export function logSmsProvider(log: Logger, outboxFile: string | null): SmsProvider {
  return {
    async send(message) {
      log.warn(
        { sms: { to: maskPhone(message.phone), text: text(message) } },
        'DEVELOPMENT ONLY: SMS not sent, written to the log',
      );
      // For end-to-end tests: a file the test can read like a phone's inbox.
      if (outboxFile) appendFileSync(outboxFile, `${JSON.stringify({ phone: message.phone, template: message.template, ...message.params })}\n`);
    },
  };
}

/** Keeps messages in memory, for tests that read "the phone". */
export function memorySmsProvider(): SmsProvider & { sent: SmsMessage[] } {
  const sent: SmsMessage[] = [];
  return {
    sent,
    async send(message) {
      sent.push(message);
    },
  };
}
