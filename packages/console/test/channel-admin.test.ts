import { CHANNEL_KEY_PATTERN, PrechatFieldSchema, unknownQueueVariables, type AdminChannel, type ChannelAgent } from '@loket/protocol';
import { describe, expect, it } from 'vitest';
import {
  customFieldError,
  fieldKeyFromLabel,
  moveField,
  parseOptionLines,
  samePrechat,
  secondsFromInput,
  uniqueFieldKey,
  addAgentRow,
  addableAgents,
  agentInputs,
  channelProperties,
  keyFromName,
  originLines,
  parseOriginLines,
  removeAgentRow,
  removeChannel,
  sameAgentRows,
  sameProperties,
  setPermission,
  upsertChannel,
} from '../src/state/admin.js';

function channel(id: string, name: string): AdminChannel {
  return {
    id,
    key: `k-${id}`,
    name,
    language: 'en',
    postchat: { enabled: true, header: '', message: '', rating: true, transcript: true, transcriptTemplateId: null },
    badgeText: 'Chat',
    headerText: name,
    welcomeMessage: 'Hi',
    queueMessage: 'You are {position}',
    description: '',
    warnAfterSeconds: null,
    managerWarnAfterSeconds: null,
    layout: { theme: 'light', color: '#1f5f8b', headerTextColor: 'auto', font: 'system', showAgentPhoto: true, logoUrl: null },
    prechat: { enabled: true, message: '', name: 'required', email: 'required', phone: 'off', company: 'off', fields: [], faqSuggestions: false, faqFolderId: null },
    offline: { header: '', message: '', requests: true, category: '', priority: 'normal', name: 'required', phone: 'off', company: 'off' },
    origins: [],
    embedSnippet: `<script defer src="http://x/widget.js" data-channel="k-${id}"></script>`,
    openingHours: { enabled: false, timeZone: 'Europe/Amsterdam', week: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }, exceptions: [] },
  };
}

describe('channel list', () => {
  it('adds a created channel in name order, replaces a known one, removes a deleted one', () => {
    const list = [channel('a', 'Alpha'), channel('c', 'Gamma')];
    expect(upsertChannel(list, channel('b', 'Beta')).map((c) => c.id)).toEqual(['a', 'b', 'c']);
    expect(upsertChannel(list, { ...channel('a', 'Zeta') }).map((c) => c.id)).toEqual(['c', 'a']);
    expect(removeChannel(list, 'a').map((c) => c.id)).toEqual(['c']);
    expect(removeChannel(list, 'nope')).toHaveLength(2);
  });

  it('suggests a valid key from a name', () => {
    expect(keyFromName('Tech support NL')).toBe('tech-support-nl');
    expect(keyFromName('  Café  Ünïcode!! ')).toBe('cafe-unicode');
    expect(keyFromName('a'.repeat(80))).toHaveLength(64);
    for (const name of ['Tech support NL', 'Café', 'x-y z']) expect(keyFromName(name)).toMatch(CHANNEL_KEY_PATTERN);
  });
});

describe('properties', () => {
  it('takes the editable properties of a channel and compares them', () => {
    const props = channelProperties(channel('a', 'Alpha'));
    expect(props).toEqual({ name: 'Alpha', language: 'en', badgeText: 'Chat', headerText: 'Alpha', welcomeMessage: 'Hi', queueMessage: 'You are {position}', description: '', warnAfterSeconds: null, managerWarnAfterSeconds: null });
    expect(sameProperties(props, { ...props })).toBe(true);
    expect(sameProperties(props, { ...props, warnAfterSeconds: 60 })).toBe(false);
  });

  it('knows the queue message variables', () => {
    expect(unknownQueueVariables('{position} {wait} {cque} {cavw}')).toEqual([]);
    expect(unknownQueueVariables('{positon} and {}')).toEqual(['positon', '']);
  });
});

describe('origins', () => {
  it('reads one origin per line, ignoring blank lines and spaces', () => {
    expect(parseOriginLines(' https://a.example \r\n\n http://b.example:8080\n  ')).toEqual(['https://a.example', 'http://b.example:8080']);
    expect(parseOriginLines('')).toEqual([]);
    expect(originLines(['https://a.example', 'http://b.example'])).toBe('https://a.example\nhttp://b.example');
  });
});

describe('agents and permissions', () => {
  const ann: ChannelAgent = { agentId: 'ann', name: 'Ann', email: 'ann@x', canRespond: true, notifications: false, canListen: true, manager: false };
  const bob = { id: 'bob', name: 'Bob', email: 'bob@x' };

  it('adds an agent with default permissions once, removes and toggles', () => {
    const rows = addAgentRow([ann], bob);
    expect(rows[1]).toEqual({ agentId: 'bob', name: 'Bob', email: 'bob@x', canRespond: true, notifications: true, canListen: false, manager: false });
    expect(addAgentRow(rows, bob)).toHaveLength(2);
    expect(setPermission(rows, 'bob', 'manager', true)[1]?.manager).toBe(true);
    expect(setPermission(rows, 'bob', 'manager', true)[0]).toBe(rows[0]);
    expect(removeAgentRow(rows, 'ann').map((r) => r.agentId)).toEqual(['bob']);
  });

  it('offers only agents not yet serving, and sends only ids and permissions', () => {
    expect(addableAgents([bob, { id: 'ann', name: 'Ann', email: 'ann@x' }], [ann])).toEqual([bob]);
    expect(agentInputs([ann])).toEqual([{ agentId: 'ann', canRespond: true, notifications: false, canListen: true, manager: false }]);
    expect(sameAgentRows([ann], [{ ...ann, name: 'Other' }])).toBe(true);
    expect(sameAgentRows([ann], [{ ...ann, canListen: false }])).toBe(false);
  });
});

describe('pre-chat form editor', () => {
  it('suggests valid, unique field keys from labels (built-in keys are reserved)', () => {
    expect(fieldKeyFromLabel('Send me the newsletter!')).toBe('send_me_the_newsletter');
    expect(fieldKeyFromLabel('  Ünïcode Café ')).toBe('unicode_cafe');
    expect(fieldKeyFromLabel('123 go')).toBe('go');
    expect(fieldKeyFromLabel('???')).toBe('field');
    for (const label of ['Topic', '2nd phone', 'x'.repeat(80)]) expect(PrechatFieldSchema.shape.key.safeParse(fieldKeyFromLabel(label)).success).toBe(true);
    const fields = [{ key: 'topic', label: 'Topic', type: 'text' as const, required: false }];
    expect(uniqueFieldKey('topic', fields)).toBe('topic_2');
    expect(uniqueFieldKey('topic', fields, 0)).toBe('topic');
    expect(uniqueFieldKey('phone', fields)).toBe('phone_2');
  });

  it('moves rows, reads option lines and maps server paths to rows', () => {
    expect(moveField(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveField(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveField(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(parseOptionLines(' Bikes \r\n\nParts\n')).toEqual(['Bikes', 'Parts']);
    expect(customFieldError('fields.2.options')).toEqual({ index: 2, part: 'options' });
    expect(customFieldError('fields.0')).toEqual({ index: 0, part: 'label' });
    expect(customFieldError('fields')).toBeNull();
    expect(customFieldError('message')).toBeNull();
  });

  it('reads warning seconds (empty = off) and compares forms whatever the key order', () => {
    expect(secondsFromInput(' ')).toBeNull();
    expect(secondsFromInput('120')).toBe(120);
    expect(secondsFromInput('1e3')).toBeNaN();
    const prechat = channel('a', 'Alpha').prechat;
    const reordered = Object.fromEntries(Object.entries(prechat).reverse()) as typeof prechat;
    expect(samePrechat(prechat, reordered)).toBe(true);
    expect(samePrechat(prechat, { ...prechat, phone: 'required' })).toBe(false);
  });
});
