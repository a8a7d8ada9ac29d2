/** Whether the open message is read, from the best source at hand. */
import { useEffect, useState } from 'react';

/**
 * The read state of the open message: starts from the list's summary (else the loaded detail),
 * follows the summary whenever it reports a state, and takes `set(read)` after this view changed
 * it. A summary that goes away (the list failed, or a search no longer contains the message) is no
 * news: the last known state stays. It used to fall back to the detail's state as loaded, from
 * before the view marked the message read, so a failed search flipped the button to "Mark read".
 */
export function useReadState(summaryRead: boolean | undefined, detailRead: boolean): [boolean, (read: boolean) => void] {
  const [read, setRead] = useState(summaryRead ?? detailRead);
  useEffect(() => {
    if (summaryRead !== undefined) setRead(summaryRead);
  }, [summaryRead]);
  return [read, setRead];
}
