-- govern: the tables every compiled meter reads (see docs/warehouse.md).
CREATE TABLE IF NOT EXISTS raw_events (
  id TEXT NOT NULL,
  source TEXT NOT NULL,
  type TEXT NOT NULL,
  subject TEXT NOT NULL,
  time TIMESTAMPTZ NOT NULL,
  recordedtime TIMESTAMPTZ,
  dataschema TEXT,
  voids TEXT,
  data JSON,
  seq BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS customer_aliases (
  subject TEXT NOT NULL,
  customer TEXT NOT NULL
);
