-- Orphan checks of every key kind (issue 11): integer keys (checked while
-- copying), text and two-column keys (checked by PostgreSQL after the load),
-- each with every policy; parents rejected on the way (an invalid date),
-- grandchildren of rows rejected after the load, and a self-reference.
SET SESSION sql_mode = 'ALLOW_INVALID_DATES';
DROP DATABASE IF EXISTS orphan_keys;
CREATE DATABASE orphan_keys CHARACTER SET utf8mb4;
USE orphan_keys;

CREATE TABLE team (id BIGINT PRIMARY KEY, founded DATE) ENGINE=InnoDB;
INSERT INTO team VALUES (1, '2001-01-01'), (2, '2002-02-02'), (3, '2001-02-30');  -- 3 rejected
CREATE TABLE region (code VARCHAR(8) PRIMARY KEY, since DATE) ENGINE=InnoDB;
INSERT INTO region VALUES ('FR', '2001-01-01'), ('DE', '2001-01-01'), ('a\tb', '2001-01-01'),
  ('XX', '2001-02-30');  -- rejected
CREATE TABLE orders (shop INT, id INT, placed DATE, PRIMARY KEY (shop, id)) ENGINE=InnoDB;
INSERT INTO orders VALUES (1, 1, '2001-01-01'), (1, 2, '2001-01-01'), (2, 1, '2001-01-01'),
  (2, 2, '2001-02-30');  -- rejected

CREATE TABLE by_int (id INT PRIMARY KEY, t_reject BIGINT, t_null BIGINT, t_keep BIGINT) ENGINE=InnoDB;
INSERT INTO by_int VALUES
  (1, 1, 1, 1),
  (2, 2, 99, 99),          -- t_null NULL
  (3, 3, 1, 1),            -- rejected: team 3 was rejected
  (4, 1, 3, 3),            -- t_null NULL (team 3 rejected)
  (5, NULL, NULL, NULL),
  (6, 99, 99, 1);          -- rejected (and no NULL counted)

CREATE TABLE by_text (code VARCHAR(8) PRIMARY KEY, r_reject VARCHAR(8), r_null VARCHAR(8), r_keep VARCHAR(8))
  ENGINE=InnoDB;
INSERT INTO by_text VALUES
  ('a', 'FR', 'FR', 'FR'),
  ('b', 'DE', 'ZZ', 'ZZ'),       -- r_null NULL
  ('c', 'XX', 'FR', 'FR'),       -- rejected: region XX was rejected
  ('d', 'a\tb', 'XX', 'a\tb'),   -- r_null NULL (region XX rejected)
  ('e', 'ZZ', 'ZZ', 'FR'),       -- rejected (and no NULL counted)
  ('f', NULL, NULL, NULL);

CREATE TABLE by_text_note (id INT PRIMARY KEY, text_code VARCHAR(8)) ENGINE=InnoDB;
INSERT INTO by_text_note VALUES (1, 'a'), (2, 'c'), (3, 'q'), (4, NULL);  -- 2: 'c' rejected after the load
-- No key: its row rejected after the load cannot be read back from the
-- source, so its reject line carries the values as loaded.
CREATE TABLE by_text_log (text_code VARCHAR(8), said VARCHAR(20)) ENGINE=InnoDB;
INSERT INTO by_text_log VALUES ('a', 'kept'), ('q', 'rejected');

CREATE TABLE by_pair (id INT PRIMARY KEY, s_reject INT, o_reject INT, s_null INT, o_null INT, s_keep INT, o_keep INT)
  ENGINE=InnoDB;
INSERT INTO by_pair VALUES
  (1, 1, 1, 1, 2, 2, 1),
  (2, 1, 2, 2, 9, 9, 9),          -- (s_null, o_null) NULL
  (3, 2, 2, 1, 1, 1, 1),          -- rejected: order (2, 2) was rejected
  (4, 1, 1, 2, 2, 1, 1),          -- (s_null, o_null) NULL (order (2, 2) rejected)
  (5, 1, NULL, 5, NULL, NULL, 7), -- a NULL in each key: not checked
  (6, 2, 1, 1, 1, 1, 1),
  (7, 3, 3, 3, 3, 1, 1);          -- rejected (and no NULL counted)

-- Integer keys to a bigger parent: checked after the load (by two streams).
-- pair_id: 2, 3 and 4 rejected (by_pair 3 and 7 were rejected, 8 never was);
-- pair_null: 5's 9 nulled (and 2's 3 counts nothing: the row is rejected).
CREATE TABLE by_pair_note (id INT PRIMARY KEY, pair_id INT, pair_null INT) ENGINE=InnoDB;
INSERT INTO by_pair_note VALUES (1, 1, 1), (2, 3, 3), (3, 7, 1), (4, 8, 2), (5, 2, 9);

CREATE TABLE employee (id INT PRIMARY KEY, manager_id INT, mentor_id INT, active TINYINT(1), hired DATE) ENGINE=InnoDB;
-- manager_id rejects: 3 (no 9), then 4 (its manager 3 is gone), then 5 (4 is);
-- mentor_id nulls: 6 (no 8) and 7 (its mentor 5 was rejected).
-- active and hired load changed ('t', a zero date NULL): the reject lines
-- carry the source's values, and only row 6's change stays counted.
INSERT INTO employee VALUES (1, NULL, NULL, 1, '2001-01-01'), (2, 1, 1, 0, '2002-01-01'),
  (3, 9, 9, 1, '0000-00-00'), (4, 3, 2, 2, '2004-01-01'), (5, 4, 1, 0, '0000-00-00'),
  (6, 1, 8, 1, '0000-00-00'), (7, 2, 5, 1, '2007-01-01');
