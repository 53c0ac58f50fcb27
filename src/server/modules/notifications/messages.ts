// In-app messages are stored as a template and its parameters and put into words when read, so
// a person sees them in the language they use now.
import type { Message } from '../../errors.js';

export interface MatterMessageParams {
  number: number;
  title: string;
  kind: Message;
  step: Message;
  org?: string | null;
  dueAt?: string | null;
  note?: string | null;
}

type Render = (p: MatterMessageParams) => Message;

const due = (iso: string | null | undefined, locale: 'zh' | 'en'): string => {
  if (!iso) return '';
  const local = new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
  return locale === 'zh' ? `，办理期限 ${local}` : `, due ${local} (Beijing time)`;
};

export const MATTER_TEMPLATES: Record<string, Render> = {
  /** To the person who raised it. */
  'matter.raiser': (p) => ({
    zh: `您的${p.kind.zh}「${p.title}」（编号 ${p.number}）：${p.step.zh}${p.org ? `，承办单位：${p.org}` : ''}${due(p.dueAt, 'zh')}`,
    en: `Your ${p.kind.en.toLowerCase()} "${p.title}" (No. ${p.number}): ${p.step.en}${p.org ? `, handled by ${p.org}` : ''}${due(p.dueAt, 'en')}`,
  }),
  /** To the owner (the organisation's people and the person assigned). */
  'matter.owner': (p) => ({
    zh: `${p.kind.zh}「${p.title}」（编号 ${p.number}）：${p.step.zh}${due(p.dueAt, 'zh')}`,
    en: `${p.kind.en} "${p.title}" (No. ${p.number}): ${p.step.en}${due(p.dueAt, 'en')}`,
  }),
  /** To the organisation that no longer owns it after a transfer. */
  'matter.transferred_away': (p) => ({
    zh: `${p.kind.zh}「${p.title}」（编号 ${p.number}）已转交${p.org ?? '其他单位'}办理`,
    en: `${p.kind.en} "${p.title}" (No. ${p.number}) was transferred to ${p.org ?? 'another organisation'}`,
  }),
  /** Supervision: to the owner, or on escalation to the owner's superior. */
  'matter.supervised': (p) => ({
    zh: `【督办】${p.kind.zh}「${p.title}」（编号 ${p.number}）：${p.step.zh}${p.org ? `（承办单位：${p.org}）` : ''}${due(p.dueAt, 'zh')}`,
    en: `[Supervision] ${p.kind.en} "${p.title}" (No. ${p.number}): ${p.step.en}${p.org ? ` (owner: ${p.org})` : ''}${due(p.dueAt, 'en')}`,
  }),
};

export function renderMessage(template: string, params: unknown): Message {
  const render = MATTER_TEMPLATES[template];
  return render ? render(params as MatterMessageParams) : { zh: '新消息', en: 'New message' };
}
