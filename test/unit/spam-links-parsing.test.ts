/**
 * Pure parts of the link and spam checks: spamd's report table (continuation lines, negative and
 * integer points, the end of the table), Mailpit's score cut, and the URLs the link check takes.
 */
import { describe, expect, it } from 'vitest';
import { linkTargets, mapLimit } from '../../server/checks/links.js';
import { reportRules } from '../../server/checks/spamd.js';
import { toMailpitSpamAssassin } from '../../server/http/compat/mailpit-sa-check.js';
import { extractImages } from '../../server/core/links.js';

const REPORT = [
  'Content analysis details:   (1002.3 points, 5.0 required)',
  '',
  ' pts rule name              description',
  '---- ---------------------- --------------------------------------------------',
  '1000 GTUBE                  BODY: Generic Test for Unsolicited Bulk Email',
  ' 2.3 FREEMAIL_FROM          Sender email is commonly abused enduser mail',
  '                            provider',
  '                            [ann.example(at)gmail.com]',
  '-0.0 NO_RELAYS              Informational: message was not relayed via SMTP',
  '',
  'not a rule 1.0 X',
].join('\r\n');

describe('spamd report', () => {
  it('reads each rule with its points and its whole description', () => {
    expect(reportRules(REPORT)).toEqual([
      { name: 'GTUBE', score: 1000, description: 'BODY: Generic Test for Unsolicited Bulk Email' },
      { name: 'FREEMAIL_FROM', score: 2.3, description: 'Sender email is commonly abused enduser mail provider [ann.example(at)gmail.com]' },
      { name: 'NO_RELAYS', score: 0, description: 'Informational: message was not relayed via SMTP' },
    ]);
    expect(reportRules('Spam detection software\r\n')).toEqual([]);
  });

  it("gives Mailpit's numbers: 32-bit floats cut to one decimal, IsSpam at 5", () => {
    const check = { spamd: 'h:1', score: 5.05, threshold: 8, isSpam: false, rules: [{ name: 'R', score: 2.3, description: 'd' }], sizeBytes: 1, maxSizeBytes: 512000, tooBig: false };
    expect(toMailpitSpamAssassin(check)).toEqual({ IsSpam: true, Error: '', Score: 5, Rules: [{ Score: 2.2, Name: 'R', Description: 'd' }] });
  });
});

describe('link check targets', () => {
  it('takes http(s) links, then images (img src, background), then text-only URLs, each once', () => {
    const html = '<a href="https://a.example/x">a</a><a href="mailto:m@example.test">m</a><a href="/relative">r</a>'
      + '<img src="https://a.example/i.png"><img src="cid:c"><img src="data:image/png;base64,AA"><td background="http://b.example/bg.gif">'
      + '<!-- <img src="https://hidden.example/"> --><a href="https://A.example/x">same</a>';
    expect(extractImages(html)).toEqual(['https://a.example/i.png', 'http://b.example/bg.gif']);
    expect(linkTargets(html, 'see https://a.example/x and ftp://f.example/ and https://c.example/t.')).toEqual([
      { url: 'https://a.example/x', kind: 'link' },
      { url: 'https://a.example/i.png', kind: 'image' },
      { url: 'http://b.example/bg.gif', kind: 'image' },
      { url: 'https://c.example/t', kind: 'link' },
    ]);
  });
});

describe('link check pool', () => {
  it('runs at most `limit` at a time, starting the next when one ends, results in order', async () => {
    const started: number[] = [];
    const finish: (() => void)[] = [];
    const running = mapLimit([0, 1, 2, 3, 4, 5, 6], 5, (n) => {
      started.push(n);
      return new Promise<number>((resolve) => finish.push(() => resolve(n * 10)));
    });
    expect(started).toEqual([0, 1, 2, 3, 4]);
    finish[2]!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    for (const done of finish) done();
    await new Promise((resolve) => setImmediate(resolve));
    for (const done of finish) done();
    expect(await running).toEqual([0, 10, 20, 30, 40, 50, 60]);
  });
});
