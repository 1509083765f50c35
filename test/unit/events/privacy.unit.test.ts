import { onboardingEventTypes } from '../../../events/onboarding/events';
import { eventSchema, type AvroField } from '../../../events/schemas/onboardingSchemas';

/** Does an Avro type hold clear text anywhere (string, in a union, in an array or map)? */
const holdsText = (type: unknown): boolean => {
  if (type === 'string') return true;
  if (Array.isArray(type)) return type.some(holdsText);
  if (type !== null && typeof type === 'object') {
    const t = type as { type?: unknown; items?: unknown; values?: unknown; name?: unknown };
    if (t.type === 'array') return holdsText(t.items);
    if (t.type === 'map') return holdsText(t.values);
    if (t.type === 'record' && t.name === 'Sealed') return false;
    if (t.type === 'record') return false;
    return holdsText(t.type);
  }
  return false;
};

const isSealed = (type: unknown): boolean =>
  Array.isArray(type)
    ? type.some(isSealed)
    : (type as { name?: unknown } | null)?.name === 'Sealed';

/** Every field of every event type, with its path (nested records included). */
const fieldsOf = (fields: readonly AvroField[], prefix: string): [string, AvroField][] =>
  fields.flatMap((f) => {
    const nested = (f.type as { type?: unknown; fields?: AvroField[] } | null)?.fields;
    const path = `${prefix}.${f.name}`;
    return nested && (f.type as { name?: unknown }).name !== 'Sealed'
      ? [[path, f] as [string, AvroField], ...fieldsOf(nested, path)]
      : [[path, f] as [string, AvroField]];
  });

const all = onboardingEventTypes.flatMap((t) => fieldsOf(eventSchema(t).fields, t));

describe('privacy classes of event fields', () => {
  it.each(all.filter(([, f]) => holdsText(f.type) || isSealed(f.type)))(
    '%s says whether it is personal',
    (_path, field) => {
      expect(['personal', 'pseudonymous', 'none']).toContain(field.privacy);
    },
  );

  it.each(all.filter(([, f]) => f.privacy === 'personal'))(
    '%s is personal, so it is sealed and never clear text',
    (_path, field) => {
      expect(isSealed(field.type)).toBe(true);
      expect(holdsText(field.type)).toBe(false);
    },
  );

  it('has at least one personal field (the rule is exercised)', () => {
    expect(all.some(([, f]) => f.privacy === 'personal')).toBe(true);
  });
});
