import { Type, type Static } from '@sinclair/typebox';
import { Id, PseudonymousId } from '@jobstream/contracts';

/** Body of the single-event routes; the posting id comes from the path. */
export const ViewerInput = Type.Object(
  { viewerId: PseudonymousId('Pseudonymous viewer id (e.g. a random cookie id); an email is refused') },
  { additionalProperties: false, $id: 'ViewerInput' },
);
export type ViewerInput = Static<typeof ViewerInput>;

/** What a beacon item says happened, mapped 1:1 to an engagement event type. */
export const EngagementKinds = {
  view: 'posting.viewed',
  'apply-click': 'posting.apply-clicked',
  scrap: 'posting.scrapped',
  unscrap: 'posting.unscrapped',
  'mock-application': 'posting.mock-applied',
} as const;
export type EngagementKind = keyof typeof EngagementKinds;

export const BeaconItem = Type.Object(
  {
    type: Type.Union(
      (Object.keys(EngagementKinds) as EngagementKind[]).map((k) => Type.Literal(k)),
      { description: 'view, apply-click, scrap, unscrap or mock-application' },
    ),
    postingId: Id('Posting the viewer engaged with'),
    viewerId: PseudonymousId('Pseudonymous viewer id; an email is refused'),
  },
  { additionalProperties: false, $id: 'BeaconItem' },
);
export type BeaconItem = Static<typeof BeaconItem>;

export const MAX_BEACON_ITEMS = 500;

/** The batch beacon: items are validated one by one so one bad item doesn't sink the rest. */
export const BeaconInput = Type.Object(
  { events: Type.Array(Type.Unknown(), { minItems: 1, maxItems: MAX_BEACON_ITEMS, description: `1 to ${MAX_BEACON_ITEMS} items` }) },
  { additionalProperties: false, $id: 'BeaconInput' },
);
export type BeaconInput = Static<typeof BeaconInput>;
