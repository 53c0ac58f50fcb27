// Appeals (诉求): grievances a rights station handles, through the five-step loop
// 受理 register → 分派 assign → 办理/调解 handle → 反馈 reply → 回访评价销号 rate and close out.
import { Type } from 'typebox';
import type { WorkflowDecl } from '../workflow.js';

const Uuid = Type.String({ format: 'uuid' });
const Empty = Type.Object({}, { additionalProperties: false });
const Reason = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });
const Owner = {
  ownerOrgId: Uuid,
  ownerUserId: Type.Optional(Uuid),
  /** An explicit deadline; otherwise the category's working days. */
  dueAt: Type.Optional(Type.String({ format: 'date-time' })),
};

const STAFF_DESK = ['station_staff', 'coordinator', 'admin'] as const;

export const appeal: WorkflowDecl = {
  kind: 'appeal',
  label: { zh: '诉求', en: 'Appeal' },
  initial: 'registered',
  states: {
    registered: { label: { zh: '已受理', en: 'Registered' } },
    assigned: { label: { zh: '已分派', en: 'Assigned' }, clock: true },
    handling: { label: { zh: '办理中', en: 'Handling' }, clock: true },
    replied: { label: { zh: '已反馈', en: 'Replied' } },
    reopened: { label: { zh: '已重启', en: 'Reopened' } },
    closed: { label: { zh: '已办结', en: 'Closed' }, final: true },
    withdrawn: { label: { zh: '已撤回', en: 'Withdrawn' }, final: true },
    rejected: { label: { zh: '不予受理', en: 'Rejected' }, final: true },
    merged: { label: { zh: '已合并', en: 'Merged' }, final: true },
  },
  registerBy: STAFF_DESK,
  selfRegisterBy: ['worker'],
  assignWithinWorkingHours: 8,
  categories: {
    unpaid_fees: { label: { zh: '拖欠配送费/报酬', en: 'Unpaid fees or pay' }, handleDays: 10 },
    contract: { label: { zh: '劳动合同不规范', en: 'Non-standard contract' }, handleDays: 10 },
    settlement: { label: { zh: '结算规则不透明', en: 'Opaque settlement' }, handleDays: 10 },
    penalty: { label: { zh: '不合理罚款/差评', en: 'Unfair fines or ratings' }, handleDays: 5 },
    work_injury: { label: { zh: '工伤与意外', en: 'Work injury or accident' }, handleDays: 15 },
    social_insurance: { label: { zh: '社保权益', en: 'Social insurance' }, handleDays: 10 },
    ecommerce: { label: { zh: '电商/平台纠纷', en: 'E-commerce or platform dispute' }, handleDays: 10 },
    consultation: { label: { zh: '政策咨询', en: 'Consultation' }, handleDays: 3 },
    other: { label: { zh: '其他', en: 'Other' }, handleDays: 10 },
  },
  payload: Type.Object(
    {
      employer: Type.Optional(Type.String({ maxLength: 100 })),
      platform: Type.Optional(Type.String({ maxLength: 50 })),
      amountClaimed: Type.Optional(Type.Number({ minimum: 0, maximum: 10_000_000 })),
      incidentDate: Type.Optional(Type.String({ format: 'date' })),
    },
    { additionalProperties: false },
  ),
  transitions: {
    assign: {
      label: { zh: '分派', en: 'Assign' },
      from: ['registered', 'reopened'],
      to: 'assigned',
      by: STAFF_DESK,
      input: Type.Object(Owner, { additionalProperties: false }),
      effect: 'owner',
      notify: ['raiser', 'owner'],
    },
    transfer: {
      label: { zh: '转办', en: 'Transfer' },
      from: ['assigned', 'handling'],
      to: 'assigned',
      by: ['owner', ...STAFF_DESK],
      input: Type.Object(Owner, { additionalProperties: false }),
      effect: 'owner',
      noteRequired: true,
      notify: ['raiser', 'owner', 'previous_owner'],
    },
    accept: {
      label: { zh: '开始办理', en: 'Start handling' },
      from: ['assigned'],
      to: 'handling',
      by: ['owner'],
      input: Empty,
      effect: 'none',
      notify: ['raiser'],
    },
    record: {
      label: { zh: '调解/办理记录', en: 'Mediation or work record' },
      from: ['handling'],
      by: ['owner'],
      input: Type.Object(
        {
          method: Type.Union([Type.Literal('mediation'), Type.Literal('visit'), Type.Literal('call'), Type.Literal('other')]),
          parties: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 10 }),
          heldAt: Type.String({ format: 'date-time' }),
          summary: Type.String({ minLength: 1, maxLength: 2000 }),
          agreement: Type.Optional(Type.String({ maxLength: 2000 })),
          /** Yuan recovered for the worker in this session. */
          moneyRecovered: Type.Optional(Type.Number({ minimum: 0, maximum: 10_000_000, multipleOf: 0.01 })),
        },
        { additionalProperties: false },
      ),
      effect: 'record',
    },
    pause: {
      label: { zh: '暂停计时', en: 'Pause the clock' },
      from: ['assigned', 'handling'],
      by: ['owner'],
      input: Reason,
      effect: 'pause',
      notify: ['raiser'],
    },
    resume: {
      label: { zh: '恢复计时', en: 'Resume the clock' },
      from: ['assigned', 'handling'],
      by: ['owner'],
      input: Empty,
      effect: 'resume',
    },
    reply: {
      label: { zh: '反馈', en: 'Reply' },
      from: ['handling'],
      to: 'replied',
      by: ['owner'],
      input: Type.Object(
        {
          reply: Type.String({ minLength: 1, maxLength: 2000 }),
          outcome: Type.Union([
            Type.Literal('resolved'),
            Type.Literal('partly_resolved'),
            Type.Literal('unresolved'),
            Type.Literal('explained'),
          ]),
        },
        { additionalProperties: false },
      ),
      effect: 'reply',
      notify: ['raiser'],
    },
    rate: {
      label: { zh: '回访评价', en: 'Rate' },
      from: ['replied'],
      to: (input) => (input.satisfaction === 'not_satisfied' ? 'reopened' : 'closed'),
      by: ['raiser', ...STAFF_DESK],
      input: Type.Object(
        {
          satisfaction: Type.Union([Type.Literal('satisfied'), Type.Literal('basically_satisfied'), Type.Literal('not_satisfied')]),
          comment: Type.Optional(Type.String({ maxLength: 500 })),
        },
        { additionalProperties: false },
      ),
      effect: 'rate',
      notify: ['raiser', 'owner'],
    },
    comment: {
      label: { zh: '补充说明', en: 'Add a comment' },
      from: ['registered', 'assigned', 'handling', 'replied', 'reopened'],
      by: ['raiser', 'owner', ...STAFF_DESK],
      input: Empty,
      effect: 'none',
      noteRequired: true,
      notify: ['raiser', 'owner'],
    },
    withdraw: {
      label: { zh: '撤回', en: 'Withdraw' },
      from: ['registered', 'assigned', 'handling', 'reopened'],
      to: 'withdrawn',
      by: ['raiser'],
      input: Empty,
      effect: 'none',
      notify: ['owner'],
    },
    reject: {
      label: { zh: '不予受理', en: 'Reject' },
      from: ['registered', 'reopened'],
      to: 'rejected',
      by: STAFF_DESK,
      input: Empty,
      effect: 'none',
      noteRequired: true,
      notify: ['raiser'],
    },
    merge: {
      label: { zh: '合并重复', en: 'Merge duplicate' },
      from: ['registered', 'assigned', 'handling', 'reopened'],
      to: 'merged',
      by: STAFF_DESK,
      input: Type.Object({ intoMatterId: Uuid }, { additionalProperties: false }),
      effect: 'merge',
      notify: ['raiser'],
    },
    supervise: {
      label: { zh: '督办', en: 'Supervise' },
      from: ['assigned', 'handling'],
      by: ['coordinator', 'admin'],
      input: Empty,
      effect: 'supervise',
      noteRequired: true,
      notify: ['owner'],
    },
  },
};
