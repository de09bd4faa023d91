-- The torture tenant (issue 9): MySQL values at their extremes and in their
-- invalid forms. tests/integration/torture_integration_test.cc loads it
-- through binary and text COPY and checks every value exactly.
SET SESSION sql_mode = 'ALLOW_INVALID_DATES';
DROP DATABASE IF EXISTS torture;
CREATE DATABASE torture CHARACTER SET utf8mb4;
USE torture;

-- FLOAT and DOUBLE, bit for bit.
CREATE TABLE floats (id INT PRIMARY KEY, f FLOAT, d DOUBLE) ENGINE=InnoDB;
INSERT INTO floats VALUES
  (1, 1234567, 0.30000000000000004),
  (2, 16777215, 1.7976931348623157e308),
  (3, 0.1234567, -1.7976931348623157e308),
  (4, 3.4028234663852886e38, 2.2250738585072014e-308),
  (5, 1.1754943508222875e-38, 4.9406564584124654e-324),
  (6, 1.401298464324817e-45, 0.1),
  (7, -3.4028234663852886e38, 1.2345678901234567),
  (8, NULL, NULL);

-- Numbers and text retyped narrower by the mapping.
CREATE TABLE narrow (id INT PRIMARY KEY, price DECIMAL(10,2), rate DECIMAL(10,3), ratio DOUBLE,
                     small DOUBLE, code VARCHAR(20) CHARACTER SET latin1, qty DECIMAL(8,2)) ENGINE=InnoDB;
INSERT INTO narrow VALUES
  (1, 1234.50, 1.235, 1.5e3, 0.5, 'hello', 12.50),
  (2, 12345.67, 0, 0, 0, 'a', 1),
  (3, 1, 0, 0, 1e300, 'a', 1),
  (4, 1, 0, 0, 0, 'abcdef', 1),
  (5, -9999.99, -1.005, 1e-7, 0.30000000000000004, 'ok', -2.5),
  (6, 1, 0, 0, 0, 'a', 30000000.00);
UPDATE narrow SET code = CONVERT(UNHEX('68E96C6C6F') USING latin1) WHERE id = 1;

-- SET members with a backslash and a quote, JSON that jsonb refuses, NUL
-- bytes on every decoding path, CHAR padding.
CREATE TABLE texts (id INT PRIMARY KEY, s SET('x\\y','z','q"t'), j JSON,
                    l VARCHAR(20) CHARACTER SET latin1, u VARCHAR(20) CHARACTER SET utf8mb4,
                    k VARCHAR(20) CHARACTER SET sjis, c CHAR(5)) ENGINE=InnoDB;
INSERT INTO texts VALUES
  (1, 'x\\y,z', '{"a": "\\u00e9", "n": 1.5e300}', 'a\0b\0', 'a\0b\0\0', 'a\0b', 'ab'),
  (2, 'q"t', '{"a": "x\\u0000y"}', 'l', 'u', 'k', 'c'),
  (3, '', '[1e-16384]', NULL, NULL, NULL, NULL);

-- Dates: UTC past year 9999 and before year 1, sentinels in every kind of column.
CREATE TABLE times (id INT PRIMARY KEY, montreal DATETIME, tokyo DATETIME, ts TIMESTAMP NULL DEFAULT NULL,
                    d DATE, naive DATETIME) ENGINE=InnoDB;
INSERT INTO times VALUES
  (1, '9999-12-31 23:59:59', '0001-01-01 05:00:00', '0000-00-00 00:00:00', '0000-00-00', '0000-00-00 00:00:00'),
  (2, '0000-00-00 00:00:00', '2020-06-01 12:00:00', '2038-01-19 03:14:07', '2001-02-30', '2001-02-30 10:00:00');

-- A name that a backslash-escaped literal must quote right under
-- NO_BACKSLASH_ESCAPES.
CREATE TABLE `it's` (id INT PRIMARY KEY, v VARCHAR(10)) ENGINE=InnoDB;
INSERT INTO `it's` VALUES (1, 'ok');
