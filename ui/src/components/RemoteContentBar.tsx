interface RemoteContentBarProps {
  /** Remote resources the message references. */
  count: number;
  /** Whether they are loaded now (for this message or always). */
  loaded: boolean;
  /** The remembered "always load remote content" setting. */
  always: boolean;
  onLoad(): void;
  onAlways(always: boolean): void;
}

const plural = (count: number) => `${count} remote resource${count === 1 ? '' : 's'}`;

/**
 * The bar above a message's HTML when it references remote content: how much was blocked, a
 * "Load remote content" button for this message, and the remembered "always" setting.
 */
export function RemoteContentBar({ count, loaded, always, onLoad, onAlways }: RemoteContentBarProps) {
  return (
    <div className="remote-bar" role="status" data-testid="remote-content-bar" data-state={loaded ? 'loaded' : 'blocked'}>
      <span data-testid="remote-content-note">
        {loaded ? `${plural(count)} loaded.` : `${plural(count)} blocked (images, styles or fonts on other servers; loading them can tell the sender you opened this).`}
      </span>
      {!loaded && (
        <button type="button" data-testid="load-remote-content" onClick={onLoad}>
          Load remote content
        </button>
      )}
      <label className="remote-always">
        <input type="checkbox" data-testid="always-load-remote" checked={always} onChange={(event) => onAlways(event.currentTarget.checked)} />
        Always load remote content
      </label>
    </div>
  );
}
