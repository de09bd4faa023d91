-- Text and composite keys for `my2pg verify`'s key lists (verify_integration_test):
-- keys that a rule cleans up (upper) and shifts to UTC, in orders where MySQL's
-- and PostgreSQL's collations disagree, with quotes and backslashes.
DROP DATABASE IF EXISTS verify_keys;
CREATE DATABASE verify_keys CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
USE verify_keys;
CREATE TABLE pays (code VARCHAR(8) PRIMARY KEY, nom VARCHAR(40));
INSERT INTO pays SELECT CONCAT(CHAR(97 + seq % 26), seq), CONCAT('Pays ', seq) FROM seq_1_to_250;
INSERT INTO pays VALUES ('é1', 'accent'), ('_u', 'underscore'), ('it''s', 'quote'), ('a"b\\c', 'both');
-- The update time: every row 2020 but the one with the smallest key.
CREATE TABLE tarif (chambre VARCHAR(10), jour DATETIME, prix DECIMAL(8,2),
  modifie TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (chambre, jour));
INSERT INTO tarif SELECT CONCAT('R', seq % 7), '2024-01-01 00:30:00' + INTERVAL seq HOUR, seq * 1.5,
  '2020-01-01 00:00:00' FROM seq_1_to_500;
UPDATE tarif SET modifie = '2025-06-01 00:00:00' WHERE chambre = 'R0' AND jour = '2024-01-01 07:30:00';
