import { CHAT_TOKEN_PATTERN, ClientMsgIdSchema } from '@loket/protocol';
import { describe, expect, it } from 'vitest';
import { isFrameMessage, isLoaderMessage } from '../src/shared/bridge.js';
import { contrastRatio, readableTextColor, safeColor } from '../src/shared/color.js';
import { BACKOFF_MAX_MS, BACKOFF_MIN_MS, backoffDelay } from '../src/frame/backoff.js';
import { newChatToken, newClientMsgId } from '../src/frame/ids.js';

describe('backoff', () => {
  it('grows exponentially within 0.5 s … 15 s', () => {
    expect(backoffDelay(0, () => 0)).toBe(BACKOFF_MIN_MS);
    expect(backoffDelay(0, () => 1)).toBe(BACKOFF_MIN_MS);
    expect(backoffDelay(3, () => 1)).toBe(4000);
    expect(backoffDelay(3, () => 0)).toBe(2000);
    expect(backoffDelay(50, () => 1)).toBe(BACKOFF_MAX_MS);
    expect(backoffDelay(50, () => 0)).toBe(BACKOFF_MAX_MS / 2);
  });
  it('jitters', () => {
    const values = new Set(Array.from({ length: 20 }, () => backoffDelay(6)));
    expect(values.size).toBeGreaterThan(1);
  });
});

describe('ids', () => {
  it('chat tokens are 43 base64url characters and unique', () => {
    const a = newChatToken();
    expect(a).toMatch(CHAT_TOKEN_PATTERN);
    expect(newChatToken()).not.toBe(a);
  });
  it('client message ids satisfy the protocol', () => {
    expect(ClientMsgIdSchema.safeParse(newClientMsgId()).success).toBe(true);
  });
});

describe('colour', () => {
  it('only passes hex colours through', () => {
    expect(safeColor('#ABC')).toBe('#abc');
    expect(safeColor('red;background:url(x)')).not.toContain('url');
  });
  it('picks a text colour with at least AA contrast for typical brand colours', () => {
    for (const c of ['#ffcc00', '#1f5fbf', '#000000', '#ffffff', '#e91e63', '#00a86b', '#777777']) {
      expect(contrastRatio(c, readableTextColor(c)), c).toBeGreaterThanOrEqual(4.5);
    }
    expect(readableTextColor('#ffcc00')).toBe('#000000');
    expect(readableTextColor('#1f5fbf')).toBe('#ffffff');
  });
});

describe('bridge messages', () => {
  it('accepts only well-formed messages', () => {
    expect(isFrameMessage({ loket: 1, type: 'close' })).toBe(true);
    expect(isFrameMessage({ loket: 1, type: 'unread', count: 3 })).toBe(true);
    expect(isFrameMessage({ loket: 1, type: 'unread', count: -1 })).toBe(false);
    expect(isFrameMessage({ loket: 1, type: 'active', active: 'yes' })).toBe(false);
    expect(isFrameMessage({ type: 'close' })).toBe(false);
    expect(isFrameMessage('close')).toBe(false);
    expect(isLoaderMessage({ loket: 1, type: 'opened' })).toBe(true);
    expect(isLoaderMessage({ loket: 1, type: 'close' })).toBe(false);
  });
});

describe('colour on any background', () => {
  it('reaches 4.5:1 for every grey and hue step', () => {
    for (let v = 0; v < 256; v += 5) {
      const hex = v.toString(16).padStart(2, '0');
      for (const c of [`#${hex}${hex}${hex}`, `#ff${hex}00`, `#00${hex}ff`, `#${hex}00${hex}`]) {
        expect(contrastRatio(c, readableTextColor(c)), c).toBeGreaterThanOrEqual(4.5);
      }
    }
  });
});
