// Reports (随手拍 / 码上说): a worker's photo of a problem seen while delivering. Reviewed by staff
// (adopt with a contribution level that earns points, reject with a reason, or merge into an
// earlier report), dispatched to the department the routing table names for its category and
// region, handled against a deadline under supervision, and closed with an "after" photo.
// Reports come in through their own intake (reports/intake.ts, Open311), never POST /api/matters.
import { Type } from 'typebox';
import { beforeAdopt, beforeClose } from '../../reports/review.js';
import type { WorkflowDecl } from '../workflow.js';
import { Empty, Owner, ReplyInput, Uuid, pauseStep, resumeStep, superviseStep } from './common.js';
const REVIEWERS = ['station_staff', 'coordinator', 'admin'] as const;
const DESK = ['grid_member', 'station_staff', 'coordinator', 'admin'] as const;

export const REPORT_LEVELS = ['ordinary', 'useful', 'important'] as const;
export type ReportLevel = (typeof REPORT_LEVELS)[number];

export const report: WorkflowDecl = {
  kind: 'report',
  label: { zh: '随手拍', en: 'Report' },
  initial: 'submitted',
  ownIntake: true,
  states: {
    submitted: { label: { zh: '待审核', en: 'Awaiting review' } },
    dispatched: { label: { zh: '已派单', en: 'Dispatched' }, clock: true },
    handling: { label: { zh: '处置中', en: 'Being handled' }, clock: true },
    closed: { label: { zh: '已办结', en: 'Closed' }, final: true },
    rejected: { label: { zh: '未采纳', en: 'Not adopted' }, final: true },
    merged: { label: { zh: '已合并', en: 'Merged' }, final: true },
  },
  registerBy: [],
  selfRegisterBy: ['worker', 'grid_member'],
  assignWithinWorkingHours: 8,
  // The defaults; the report_categories table (editable by administrators) is what intake checks.
  categories: {
    road_signs: { label: { zh: '路标不清', en: 'Unclear road signs' }, handleDays: 5 },
    station_facilities: { label: { zh: '站点设施老旧', en: 'Old station facilities' }, handleDays: 10 },
    guardrails: { label: { zh: '护栏损坏', en: 'Broken guardrails' }, handleDays: 5 },
    sanitation: { label: { zh: '环境卫生', en: 'Sanitation' }, handleDays: 3 },
    safety_hazard: { label: { zh: '安全隐患', en: 'Safety hazard' }, handleDays: 2 },
    uncivil: { label: { zh: '不文明行为', en: 'Uncivil behaviour' }, handleDays: 5 },
    other: { label: { zh: '其他', en: 'Other' }, handleDays: 5 },
  },
  payload: Type.Object(
    {
      /** WGS-84, as the worker's phone or the QR poster's place gave it. */
      lat: Type.Number({ minimum: -90, maximum: 90 }),
      lng: Type.Number({ minimum: -180, maximum: 180 }),
      placeId: Type.Optional(Uuid),
      placeName: Type.Optional(Type.String({ maxLength: 100 })),
      occurredAt: Type.String({ format: 'date-time' }),
      source: Type.Union([Type.Literal('app'), Type.Literal('open311')]),
      /** Open311: the API key's name and a photo link the client gave. */
      via: Type.Optional(Type.String({ maxLength: 100 })),
      mediaUrl: Type.Optional(Type.String({ maxLength: 1000 })),
    },
    { additionalProperties: false },
  ),
  transitions: {
    adopt: {
      label: { zh: '采纳并派单', en: 'Adopt and dispatch' },
      from: ['submitted'],
      to: 'dispatched',
      by: REVIEWERS,
      input: Type.Object(
        {
          /** How much the report helped (sets the points); ordinary when not said. */
          level: Type.Optional(Type.Union(REPORT_LEVELS.map((l) => Type.Literal(l)))),
          /** A department chosen by hand; otherwise the routing table decides. */
          ownerOrgId: Type.Optional(Uuid),
        },
        { additionalProperties: false },
      ),
      effect: 'owner',
      before: (args) => beforeAdopt(args),
      notify: ['raiser', 'owner'],
    },
    reject: {
      label: { zh: '不予采纳', en: 'Reject' },
      from: ['submitted'],
      to: 'rejected',
      by: REVIEWERS,
      input: Empty,
      effect: 'none',
      noteRequired: true,
      notify: ['raiser'],
    },
    merge: {
      label: { zh: '合并重复', en: 'Merge duplicate' },
      from: ['submitted'],
      to: 'merged',
      by: REVIEWERS,
      input: Type.Object({ intoMatterId: Uuid }, { additionalProperties: false }),
      effect: 'merge',
      notify: ['raiser'],
    },
    accept: {
      label: { zh: '开始处置', en: 'Start handling' },
      from: ['dispatched'],
      to: 'handling',
      by: ['owner'],
      input: Empty,
      effect: 'none',
      notify: ['raiser'],
    },
    transfer: {
      label: { zh: '改派', en: 'Transfer' },
      from: ['dispatched', 'handling'],
      to: 'dispatched',
      by: ['owner', 'coordinator', 'admin'],
      input: Type.Object(Owner, { additionalProperties: false }),
      effect: 'owner',
      noteRequired: true,
      notify: ['owner', 'previous_owner'],
    },
    pause: pauseStep(['dispatched', 'handling']),
    resume: resumeStep(['dispatched', 'handling']),
    // Named like the appeal's reply so that the console's reply form (answer, outcome, files) serves it.
    reply: {
      label: { zh: '处置完毕（附处置后照片）', en: 'Close with an "after" photo' },
      from: ['dispatched', 'handling'],
      to: 'closed',
      by: ['owner'],
      input: ReplyInput,
      effect: 'reply',
      filesRequired: true,
      before: (args) => beforeClose(args),
      notify: ['raiser'],
    },
    comment: {
      label: { zh: '补充说明', en: 'Add a comment' },
      from: ['submitted', 'dispatched', 'handling'],
      by: ['raiser', 'owner', ...DESK],
      input: Empty,
      effect: 'none',
      noteRequired: true,
      notify: ['owner'],
    },
    supervise: superviseStep(['dispatched', 'handling']),
  },
};
