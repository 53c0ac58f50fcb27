// Names of a kind's states, categories and steps (from the server, in the chosen language), the
// tone each state is drawn in, and a matter's timeline in plain words. Used by both apps.
import { computed, shallowRef, toValue, type MaybeRefOrGetter } from 'vue';
import { useI18n } from 'vue-i18n';
import { formatDateTime } from '../format';
import { useAppLocale, useLabels } from '../i18n';
import { mattersApi } from './api';
import type { FileInfo, MatterEvent, MatterKind } from './types';

const kinds = shallowRef<MatterKind[] | null>(null);
const kindsFailed = shallowRef(false);

/** Loads the kinds once; components read them reactively. */
export function ensureKinds(): Promise<void> {
  if (kinds.value) return Promise.resolve();
  return mattersApi.kinds().then(
    (items) => {
      kinds.value = items;
      kindsFailed.value = false;
    },
    () => {
      kindsFailed.value = true;
    },
  );
}

/**
 * How a state is drawn: new (waiting for the desk), progress (with an owner), replied (waiting for
 * the person's rating), reopened, done (closed out) and ended (withdrawn, rejected, merged).
 */
export type StateTone = 'new' | 'progress' | 'replied' | 'reopened' | 'done' | 'ended';

const TONES: Record<string, StateTone> = {
  registered: 'new',
  submitted: 'new',
  dispatched: 'progress',
  assigned: 'progress',
  handling: 'progress',
  replied: 'replied',
  reopened: 'reopened',
  closed: 'done',
};

export function stateTone(status: string): StateTone {
  return TONES[status] ?? 'ended';
}

/** Formats yuan the way people write it: 3,000 or 1,234.5. */
export function formatAmount(yuan: number): string {
  return yuan.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

export interface TimelineLine {
  label: string;
  text: string;
}

export interface TimelineEntry {
  seq: number;
  at: string;
  /** Who, in words: name · organisation, or the system. */
  who: string;
  /** Their part: a role, the handler, the person concerned. */
  role: string;
  /** What they did, as a sentence. */
  what: string;
  lines: TimelineLine[];
  files: FileInfo[];
  /** The state it moved to, when it moved. */
  toStatus: string | null;
  /** For drawing: a system reminder, a step that closed or reopened it. */
  tone: 'normal' | 'system' | 'good' | 'warn';
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** `kindName` may be a getter, for pages that show matters of more than one kind. */
export function useMatterLabels(kindName: MaybeRefOrGetter<string> = 'appeal') {
  const { t, te } = useI18n({ useScope: 'global' });
  const { localText } = useAppLocale();
  const { roleLabel } = useLabels();
  void ensureKinds();

  const kind = computed(() => kinds.value?.find((k) => k.kind === toValue(kindName)) ?? null);
  const categories = computed(() =>
    (kind.value?.categories ?? []).map((c) => ({ value: c.name, label: localText(c.label), handleDays: c.handleDays })),
  );
  const states = computed(() => (kind.value?.states ?? []).map((s) => ({ value: s.name, label: localText(s.label), final: s.final })));

  const stateLabel = (name: string) => {
    const s = kind.value?.states.find((x) => x.name === name);
    return s ? localText(s.label) : name;
  };
  const categoryLabel = (name: string) => {
    const c = kind.value?.categories.find((x) => x.name === name);
    return c ? localText(c.label) : name;
  };
  const stepLabel = (name: string) => {
    const s = kind.value?.transitions.find((x) => x.name === name);
    return s ? localText(s.label) : name;
  };
  const label = (group: string, key: string | null | undefined) => {
    if (!key) return '';
    return te(`matter.${group}.${key}`) ? t(`matter.${group}.${key}`) : key;
  };
  const channelLabel = (c: string) => label('channels', c);
  const outcomeLabel = (o: string | null | undefined) => label('outcomes', o);
  const satisfactionLabel = (s: string | null | undefined) => label('satisfaction', s);
  const methodLabel = (m: string | null | undefined) => label('methods', m);
  const supervisionLabel = (level: number) => (level > 0 ? t(`matter.supervision.l${Math.min(level, 3)}`) : '');
  const yuan = (amount: number) => t('matter.yuan', { amount: formatAmount(amount) });

  function partyLabel(role: string | null): string {
    if (!role) return '';
    if (role === 'owner' || role === 'raiser' || role === 'system') return t(`matter.parties.${role}`);
    return roleLabel(role);
  }

  /** One timeline entry in plain words; `files` resolves the ids the event carries. */
  function describe(e: MatterEvent, files: FileInfo[] = []): TimelineEntry {
    const d = e.data;
    const lines: TimelineLine[] = [];
    const add = (key: string, text: string | null) => {
      if (text) lines.push({ label: t(`matter.details.${key}`), text });
    };
    const due = str(d.dueAt);
    let what: string;
    let tone: TimelineEntry['tone'] = 'normal';
    switch (e.type) {
      case 'register': {
        // "Filed the report", "Filed the appeal": the kind's own name (lower case where a language has it).
        const kindText = (kind.value ? localText(kind.value.label) : t('matter.someKind')).toLowerCase();
        what =
          str(d.channel) && d.channel !== 'app'
            ? t('matter.events.registerDesk', { kind: kindText, channel: channelLabel(String(d.channel)) })
            : t('matter.events.register', { kind: kindText });
        break;
      }
      case 'assign':
      case 'transfer':
        what = t(`matter.events.${e.type}`, { org: str(d.ownerOrgName) ?? t('matter.none') });
        add('due', due ? formatDateTime(due) : null);
        add('reason', e.note);
        break;
      case 'adopt': {
        // A report adopted: the contribution level chosen and the points the reporter was paid.
        what = t('matter.events.adopt', { org: str(d.ownerOrgName) ?? t('matter.none') });
        add('level', label('levels', str(d.level)));
        const points = num(d.points);
        if (points !== null) add('points', t(d.capped === true ? 'matter.pointsCapped' : 'matter.points', { n: points }));
        else if (str(d.level)) add('points', t('matter.pointsNone'));
        add('due', due ? formatDateTime(due) : null);
        add('note', e.note);
        break;
      }
      case 'record': {
        what = t('matter.events.record', { method: methodLabel(str(d.method)) });
        const parties = Array.isArray(d.parties) ? d.parties.filter((p): p is string => typeof p === 'string') : [];
        add('heldAt', str(d.heldAt) ? formatDateTime(String(d.heldAt)) : null);
        add('parties', parties.length ? parties.join(t('common.listSeparator')) : null);
        add('summary', str(d.summary));
        add('agreement', str(d.agreement));
        const money = num(d.moneyRecovered);
        add('moneyRecovered', money ? yuan(money) : null);
        add('note', e.note);
        break;
      }
      case 'pause':
        what = t('matter.events.pause');
        add('reason', str(d.reason) ?? e.note);
        break;
      case 'resume':
        what = t('matter.events.resume');
        add('due', due ? formatDateTime(due) : null);
        add('note', e.note);
        break;
      case 'reply':
        what = t('matter.events.reply');
        lines.push({ label: '', text: str(d.reply) ?? '' });
        add('outcome', outcomeLabel(str(d.outcome)));
        add('note', e.note);
        break;
      case 'rate':
        what = t('matter.events.rate', { satisfaction: satisfactionLabel(str(d.satisfaction)) });
        add('comment', str(d.comment));
        add('note', e.note);
        if (e.toStatus === 'reopened') lines.push({ label: '', text: t('matter.details.reopened') });
        if (e.toStatus === 'closed') lines.push({ label: '', text: t('matter.details.closed') });
        tone = e.toStatus === 'reopened' ? 'warn' : 'good';
        break;
      case 'merge':
        what = t('matter.events.merge', { n: num(d.intoNumber) ?? '?' });
        add('note', e.note);
        break;
      case 'absorb':
        what = t('matter.events.absorb', { n: num(d.fromNumber) ?? '?' });
        break;
      case 'supervise': {
        const level = num(d.supervisionLevel) ?? 0;
        if (e.actorRole === 'system') {
          what = t('matter.events.superviseLevel', { level: supervisionLabel(level) });
          tone = 'system';
        } else what = t('matter.events.supervise');
        add('note', e.note);
        if (level >= 2) tone = 'warn';
        break;
      }
      case 'accept':
      case 'comment':
      case 'withdraw':
      case 'reject':
        what = t(`matter.events.${e.type}`);
        lines.push({ label: '', text: e.note ?? '' });
        break;
      default:
        what = stepLabel(e.type);
        add('note', e.note);
    }
    const cleaned = lines.filter((l) => l.text);
    const system = e.actorRole === 'system' || (!e.actorName && !e.actorRole);
    const who = system ? t('matter.system') : [e.actorName ?? t('matter.someone'), e.actorOrgName].filter(Boolean).join(' · ');
    return {
      seq: e.seq,
      at: e.at,
      who,
      role: system ? '' : partyLabel(e.actorRole),
      what,
      lines: cleaned,
      files: e.files.map((id) => files.find((f) => f.id === id)).filter((f): f is FileInfo => !!f),
      toStatus: e.toStatus,
      tone,
    };
  }

  return {
    kind,
    kindsFailed,
    categories,
    states,
    stateLabel,
    categoryLabel,
    stepLabel,
    channelLabel,
    outcomeLabel,
    satisfactionLabel,
    methodLabel,
    supervisionLabel,
    partyLabel,
    yuan,
    describe,
  };
}
