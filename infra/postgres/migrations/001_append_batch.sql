-- Waymark's append path on top of Message DB. One call appends any number of (stream, events,
-- expected version) groups: each group runs in its own subtransaction (BEGIN ... EXCEPTION), so a
-- group whose expected version is wrong fails alone while the others commit together. The API's
-- group commit sends several requests' groups in one call and one transaction: one round trip and
-- one WAL flush for all of them, which matters because write_message takes a per-category lock.
CREATE SCHEMA IF NOT EXISTS waymark;

CREATE OR REPLACE FUNCTION waymark.append_batch(batch jsonb)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = message_store, public
AS $$
DECLARE
  _group jsonb;
  _event jsonb;
  _results jsonb := '[]'::jsonb;
  _expected bigint;
  _last bigint;
  _i bigint;
BEGIN
  FOR _group IN SELECT value FROM jsonb_array_elements(batch) LOOP
    BEGIN
      _expected := (_group->>'expectedVersion')::bigint;
      _i := 0;
      _last := NULL;
      FOR _event IN SELECT value FROM jsonb_array_elements(_group->'events') LOOP
        _last := write_message(
          _event->>'id',
          _group->>'streamName',
          _event->>'type',
          _event->'data',
          _event->'metadata',
          CASE WHEN _expected IS NULL THEN NULL ELSE _expected + _i END
        );
        _i := _i + 1;
      END LOOP;
      _results := _results || jsonb_build_array(jsonb_build_object('ok', true, 'version', _last));
    EXCEPTION WHEN OTHERS THEN
      _results := _results || jsonb_build_array(jsonb_build_object(
        'ok', false,
        'sqlstate', SQLSTATE,
        'wrongExpectedVersion', SQLERRM LIKE 'Wrong expected version%',
        'version', COALESCE(stream_version(_group->>'streamName'), -1)
      ));
    END;
  END LOOP;
  RETURN _results;
END;
$$;
