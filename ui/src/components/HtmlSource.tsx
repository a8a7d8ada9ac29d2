/** The HTML body as source text (with `cid:` references as the server rewrote them to attachment URLs). */
export function HtmlSource({ html }: { html: string }) {
  return (
    <>
      <p className="tab-note">
        The HTML part as text; <code>cid:</code> references are shown as the attachment URLs they resolve to.
      </p>
      <pre className="raw-source" data-testid="html-source">
        {html}
      </pre>
    </>
  );
}
