-- Orphan checks (issue 11): integer and text parent keys, every policy, a
-- self-reference, and a parent row rejected on the way.
SET SESSION sql_mode = 'ALLOW_INVALID_DATES';
DROP DATABASE IF EXISTS orphans;
CREATE DATABASE orphans CHARACTER SET utf8mb4;
USE orphans;
CREATE TABLE team (id BIGINT PRIMARY KEY, founded DATE) ENGINE=InnoDB;
INSERT INTO team VALUES (1, '2001-01-01'), (2, '2002-02-02'), (-5, '2003-03-03'),
  (3, '2001-02-30');  -- rejected (invalid date): its players become orphans
CREATE TABLE country (code VARCHAR(8) PRIMARY KEY) ENGINE=InnoDB;
INSERT INTO country VALUES ('FR'), ('DE'), ('a\tb');
CREATE TABLE player (id INT PRIMARY KEY, team_null BIGINT, team_reject BIGINT, team_keep BIGINT,
                     country_null VARCHAR(8), country_reject VARCHAR(8), coach INT) ENGINE=InnoDB;
INSERT INTO player VALUES
  (1, 1, 1, 1, 'FR', 'FR', NULL),
  (2, 99, 2, 99, 'XX', 'DE', 1),      -- team_null and country_null become NULL
  (3, 3, -5, 3, 'a\tb', 'a\tb', 7),   -- team 3 was rejected: team_null NULL; coach 7 does not exist (rejected after the load)
  (4, 1, 3, 1, 'FR', 'FR', 1),        -- rejected: team_reject 3 (a rejected parent)
  (5, 1, 1, 1, 'FR', 'ZZ', NULL),     -- rejected: country_reject ZZ
  (6, NULL, NULL, NULL, NULL, NULL, NULL);
