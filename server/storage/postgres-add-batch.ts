/**
 * Schema version 2: `mailsink.add_batch(...)`, the whole transaction of a group of adds as one
 * server-side function. Run as one statement, it is its own transaction: it takes the write lock,
 * evicts the oldest messages of the cluster for the limits (as the memory engine does, one incoming
 * message at a time), inserts, logs, updates the totals, prunes the log now and then and notifies,
 * and the lock is released at commit. The lock is then held for no client round trip at all, which
 * is what lets two instances interleave their group commits quickly.
 *
 * Returns the first new `seq`, how many of the incoming messages later ones of the same batch
 * evicted at once (`kept_from - 1`), the new last `cseq` and the ids of the stored messages it evicted.
 */
/* The names are fixed here (mailsink schema, lock key "mail", 100,000 kept change rows). */
export const ADD_BATCH = `
CREATE FUNCTION mailsink.add_batch(
  p_ids text[], p_received text[], p_envelopes json[], p_raws bytea[], p_facts json[], p_tags json[],
  p_max_messages bigint, p_max_bytes bigint, p_channel text,
  OUT first_seq bigint, OUT kept_from integer, OUT last_cseq bigint, OUT evicted text[])
LANGUAGE plpgsql AS $fn$
DECLARE
  t record; r record; n integer := cardinality(p_ids); cnt bigint; byt bigint; existing bigint;
  sz integer; cur refcursor;
BEGIN
  PERFORM pg_advisory_xact_lock(1835100524);
  SELECT * INTO t FROM mailsink.totals;
  cnt := t.count; byt := t.bytes; existing := t.count;
  first_seq := t.last_seq + 1; kept_from := 1; last_cseq := t.last_cseq; evicted := '{}';
  OPEN cur NO SCROLL FOR SELECT m.id, m.size_bytes FROM mailsink.messages m ORDER BY m.seq;
  FOR i IN 1..n LOOP
    sz := length(p_raws[i]);
    WHILE cnt > 0 AND (cnt >= p_max_messages OR byt + sz > p_max_bytes) LOOP
      IF existing > 0 THEN
        FETCH cur INTO r;
        evicted := evicted || r.id; existing := existing - 1; byt := byt - r.size_bytes;
      ELSE
        byt := byt - length(p_raws[kept_from]); kept_from := kept_from + 1;
      END IF;
      cnt := cnt - 1;
    END LOOP;
    cnt := cnt + 1; byt := byt + sz;
  END LOOP;
  CLOSE cur;
  IF cardinality(evicted) > 0 THEN
    DELETE FROM mailsink.messages WHERE id = ANY(evicted);
    last_cseq := last_cseq + 1;
    INSERT INTO mailsink.changes VALUES (last_cseq, 'delete', evicted, '"evicted"');
  END IF;
  INSERT INTO mailsink.messages (seq, id, received_at, envelope, raw, size_bytes, facts, tags)
    SELECT first_seq + k - 1, p_ids[k], p_received[k], p_envelopes[k], p_raws[k], length(p_raws[k]), p_facts[k], p_tags[k]
    FROM generate_series(kept_from, n) AS k;
  last_cseq := last_cseq + 1;
  INSERT INTO mailsink.changes VALUES (last_cseq, 'add', COALESCE(p_ids[kept_from:n], '{}'), json_build_object('lastSeq', first_seq + n - 1));
  UPDATE mailsink.totals SET count = cnt, bytes = byt, last_seq = first_seq + n - 1, last_cseq = add_batch.last_cseq;
  IF last_cseq / 1000 <> t.last_cseq / 1000 THEN
    DELETE FROM mailsink.changes c WHERE c.cseq <= add_batch.last_cseq - 100000;
  END IF;
  PERFORM pg_notify(p_channel, last_cseq::text);
END
$fn$;`;
