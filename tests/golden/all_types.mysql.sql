-- Every MySQL/MariaDB column type, for the golden tests of the default mapping.
-- all_types.catalog.json is `my2pg catalog` of this database on MariaDB 10.11.
CREATE TABLE every_type (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  t_tinyint TINYINT, t_tinyint_u TINYINT UNSIGNED, t_flag TINYINT(1) NOT NULL DEFAULT 1,
  t_smallint SMALLINT, t_smallint_u SMALLINT UNSIGNED,
  t_mediumint MEDIUMINT, t_mediumint_u MEDIUMINT UNSIGNED,
  t_int INT NOT NULL DEFAULT 0, t_int_u INT UNSIGNED,
  t_bigint BIGINT, t_bigint_u BIGINT UNSIGNED,
  t_decimal DECIMAL(12,2) DEFAULT 0.00, t_numeric NUMERIC(5,0),
  t_float FLOAT, t_double DOUBLE,
  t_bit1 BIT(1) NOT NULL DEFAULT b'1', t_bit10 BIT(10),
  t_year YEAR, t_date DATE NOT NULL DEFAULT '0000-00-00', t_time TIME, t_time3 TIME(3),
  t_datetime DATETIME, t_datetime6 DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6),
  t_timestamp TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  t_char CHAR(2) NOT NULL DEFAULT 'FR', t_varchar VARCHAR(100) CHARACTER SET latin1,
  t_tinytext TINYTEXT, t_text TEXT, t_mediumtext MEDIUMTEXT, t_longtext LONGTEXT,
  t_binary BINARY(4), t_varbinary VARBINARY(16),
  t_tinyblob TINYBLOB, t_blob BLOB, t_mediumblob MEDIUMBLOB, t_longblob LONGBLOB,
  t_enum ENUM('a','b''c') NOT NULL DEFAULT 'a', t_enum_same ENUM('a','b''c'),
  t_set SET('x','y') DEFAULT 'x,y',
  t_json JSON, t_geometry GEOMETRY, t_point POINT,
  t_generated INT AS (t_int * 2) VIRTUAL,
  t_comment INT COMMENT 'l''ancien code',
  KEY idx_prefix (t_varchar(10)),
  UNIQUE KEY uq_pair (t_int, t_char),
  FULLTEXT KEY ft_text (t_text)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='all types';

CREATE TABLE `order` (
  `Key` INT NOT NULL,
  `select` VARCHAR(10),
  PRIMARY KEY (`Key`)
) ENGINE=InnoDB;

CREATE VIEW v_orders AS SELECT `Key` FROM `order`;
CREATE TRIGGER trg_every BEFORE INSERT ON every_type FOR EACH ROW SET NEW.t_int = NEW.t_int + 1;
