/** Link extraction (server/core/links.ts) and the one-time-code finder of the client. */
import { describe, expect, it } from 'vitest';
import { findCodes } from '../../server/client-errors.js';
import { extractLinks } from '../../server/core/links.js';

describe('extractLinks', () => {
  it('finds HTML links with anchor text, then text links, each URL once, in order', () => {
    const html = [
      '<p>Hi! <a class="btn" href="https://app.example/reset?token=a1&amp;u=7">Reset <b>password</b></a></p>',
      "<a href='https://app.example/help'><img src=\"cid:help\" alt=\"Help centre\"></a>",
      '<!-- <a href="https://hidden.example/">hidden</a> -->',
      '<a href="#top">top</a> <a href="mailto:support@app.example">Mail us</a> <a href=javascript:alert(1)>x</a>',
      '<map><area shape="rect" href="https://app.example/map" alt="Map"></map>',
      '<A HREF="https://app.example/reset?token=a1&amp;u=7">again</A>',
    ].join('\n');
    const text = 'Reset: https://app.example/reset?token=a1&u=7.\nDocs (https://docs.example/a_(b)) and https://docs.example/x, thanks!';
    expect(extractLinks(html, text)).toEqual([
      { url: 'https://app.example/reset?token=a1&u=7', text: 'Reset password', sources: ['html', 'text'] },
      { url: 'https://app.example/help', text: 'Help centre', sources: ['html'] },
      { url: 'mailto:support@app.example', text: 'Mail us', sources: ['html'] },
      { url: 'https://app.example/map', text: 'Map', sources: ['html'] },
      { url: 'https://docs.example/a_(b)', text: '', sources: ['text'] },
      { url: 'https://docs.example/x', text: '', sources: ['text'] },
    ]);
  });

  it('copes with no bodies and unclosed anchors', () => {
    expect(extractLinks(null, null)).toEqual([]);
    expect(extractLinks('<a href="https://a.example/1">one <a href="https://a.example/2">two', null).map((l) => [l.url, l.text])).toEqual([
      ['https://a.example/1', 'one'],
      ['https://a.example/2', 'two'],
    ]);
  });
});

describe('findCodes', () => {
  it('finds standalone 6-digit codes by default, each once, in order', () => {
    expect(findCodes('Your code is 042917. Order 1234567 is not a code; 042917 again, then 555111.')).toEqual(['042917', '555111']);
  });

  it('returns the first group of a custom pattern, global or not', () => {
    expect(findCodes('PIN: 4821\nBackup PIN: 9930', /PIN: (\d{4})/)).toEqual(['4821', '9930']);
    expect(findCodes('token=AB-12 token=CD-34', /token=([A-Z]{2}-\d{2})/g)).toEqual(['AB-12', 'CD-34']);
    expect(findCodes('nothing here')).toEqual([]);
  });
});
