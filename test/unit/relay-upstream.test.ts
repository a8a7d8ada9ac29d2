/** `--relay-url` parsing: defaults, STARTTLS modes, credentials kept out of the shown URL, errors without the password. */
import { describe, expect, it } from 'vitest';
import { RecipientRules } from '../../server/relay/recipients.js';
import { parseRelayUrl } from '../../server/relay/upstream.js';

describe('parseRelayUrl', () => {
  it('fills in ports and STARTTLS defaults, decodes credentials and shows none', () => {
    expect(parseRelayUrl('smtp://relay.example')).toEqual({ host: 'relay.example', port: 25, secure: false, starttls: 'required', auth: null, url: 'smtp://relay.example:25' });
    expect(parseRelayUrl('smtp://127.0.0.1:2525')).toMatchObject({ starttls: 'opportunistic', url: 'smtp://127.0.0.1:2525' });
    expect(parseRelayUrl('smtps://u%40x:p%3Aw@Relay.Example')).toEqual({ host: 'relay.example', port: 465, secure: true, starttls: 'off', auth: { user: 'u@x', pass: 'p:w' }, url: 'smtps://relay.example:465' });
    expect(parseRelayUrl('smtp://[::1]:587?starttls=off')).toEqual({ host: '::1', port: 587, secure: false, starttls: 'off', auth: null, url: 'smtp://[::1]:587' });
  });

  it('refuses what it cannot use, never echoing the password', () => {
    for (const [url, reason] of [
      ['smtp://u:pw1@h?starttls=yes', 'starttls must be required, opportunistic or off (got "yes")'],
      ['smtps://u:pw1@h?starttls=required', 'starttls does not apply to smtps:// (TLS from the start)'],
      ['smtp://u:pw1@h/path', 'expected no path or fragment after host:port'],
      ['smtp://u:pw1@h?x=1', 'unknown parameter "x" (only starttls=required|opportunistic|off)'],
    ]) expect(() => parseRelayUrl(url!)).toThrow(reason!);
  });
});

describe('RecipientRules', () => {
  it('allows matching recipients unless denied, without case', () => {
    const rules = new RecipientRules(['*@team.example', 'ops@partner.example'], ['boss@*']);
    expect(rules.select(['A@Team.Example', 'boss@team.example', 'ops@partner.example', 'x@other.example'])).toEqual(['A@Team.Example', 'ops@partner.example']);
    expect(new RecipientRules([], []).enabled).toBe(false);
  });
});
