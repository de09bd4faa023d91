-- A legacy hotel-booking tenant, in the spirit of the real case: French names,
-- no foreign keys, tinyint(1) flags, zero dates, latin1 text (with a
-- Windows-1252 euro sign and mis-encoded UTF-8), a table without a primary
-- key. Every dirty value is planted on purpose; tests/integration checks what
-- becomes of each. Loaded by samples/create-tenants.sh into a database of its
-- choosing (the client picks it with USE before this file runs).
SET SESSION sql_mode = 'ALLOW_INVALID_DATES';
SET SESSION time_zone = '+00:00';
SET NAMES utf8mb4;  -- this file is UTF-8; x'..' literals store raw bytes

CREATE TABLE client (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  nom VARCHAR(100) CHARACTER SET latin1 NOT NULL,
  prenom VARCHAR(100) CHARACTER SET latin1,
  email VARCHAR(190) CHARACTER SET utf8mb4,
  actif TINYINT(1) NOT NULL DEFAULT 1,
  pays CHAR(2) NOT NULL DEFAULT 'FR',
  date_naissance DATE NOT NULL DEFAULT '0000-00-00',
  date_creation DATETIME NOT NULL DEFAULT '0000-00-00 00:00:00',
  solde DECIMAL(12,2) NOT NULL DEFAULT 0,
  points INT UNSIGNED NOT NULL DEFAULT 0,
  KEY idx_client_nom (nom)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COMMENT='clients de l''hôtel';

CREATE TABLE chambre (
  id MEDIUMINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  numero SMALLINT NOT NULL,
  categorie ENUM('simple','double','suite') NOT NULL DEFAULT 'double',
  equipements SET('wifi','tv','minibar') DEFAULT NULL,
  prix_nuit DECIMAL(8,2) NOT NULL,
  fumeur TINYINT(1) NOT NULL DEFAULT 0,
  annee_renov YEAR DEFAULT NULL,
  disponible BIT(1) NOT NULL DEFAULT b'1',
  UNIQUE KEY uq_chambre_numero (numero)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

CREATE TABLE reservation (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  client_id INT UNSIGNED NOT NULL DEFAULT 0,
  chambre_id MEDIUMINT NOT NULL,
  date_arrivee DATE NOT NULL DEFAULT '0000-00-00',
  heure_arrivee TIME DEFAULT NULL,
  montant DECIMAL(10,2) NOT NULL DEFAULT 0,
  taux_tva FLOAT NOT NULL DEFAULT 0.1,
  annule TINYINT(1) NOT NULL DEFAULT 0,
  commentaire TEXT CHARACTER SET latin1,
  cree_le TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  modifie_le DATETIME(3) DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP(3),
  recu BLOB,
  KEY idx_resa_client (client_id)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;

-- no primary key, as legacy log tables often have none
CREATE TABLE journal (
  quand DATETIME NOT NULL,
  niveau VARCHAR(10) NOT NULL,
  message MEDIUMTEXT CHARACTER SET utf8mb4
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO client VALUES
  (1, 'Dupont', 'Amélie', 'amelie@example.com', 1, 'FR', '1980-05-17', '2012-03-04 10:11:12', 12.50, 100),
  (2, 'Lefèvre', 'Jérôme', NULL, 0, 'FR', '0000-00-00', '0000-00-00 00:00:00', -3.00, 4294967295),
  (3, CONCAT('Caf', x'C3A9'), NULL, 'zoe@exämple.fr', 2, 'fr', '1985-02-30', '2013-07-08 09:00:00', 0, 0),
  (4, 'Müller', 'Zoë', 'user4@example.com 😀', 1, 'DE', '0009-12-04', '2014-00-10 00:00:00', 99999.99, 7),
  (5, 'Prix 10€', '  Anne  ', '', 1, 'ES', '2000-02-29', '2016-10-30 02:30:00', 0.01, 1);

INSERT INTO chambre VALUES
  (1, 101, 'simple', 'wifi,tv', 45.50, 0, 1999, b'1'),
  (2, 102, 'double', '', 51.00, 1, 0000, b'0'),
  (3, 201, 'suite', NULL, 120.00, 0, NULL, b'1');

INSERT INTO reservation VALUES
  (1, 1, 1, '2014-01-04', '14:30:00', 120.00, 0.1, 0, 'Arrivée tardive, prévoir clé', '2014-03-30 01:30:00', '2014-10-26 02:30:00.125', x'DEADBEEF'),
  (2, 2, 2, '0000-00-00', '25:00:00', 0, 0.2, 1, 'Ligne 1\nLigne 2\ttab \\ backslash', '2015-01-01 00:00:00', NULL, NULL),
  (3, 99, 3, '2014-02-01', NULL, 15.75, 0.1, 0, 'nul\0byte', '2016-06-15 12:00:00', '2016-06-15 12:00:00.000', ''),
  (4, 3, 1, '2014-03-01', '-01:00:00', 30.00, 0.1, 0, CONCAT('Arriv', x'C3A9', 'e ', x'E28094', ' caf', x'C3A9', ' offert'), '2017-01-01 00:00:00', NULL, NULL);

INSERT INTO journal VALUES
  ('2016-01-01 00:00:00', 'INFO', 'évènement 1'),
  ('2016-01-01 00:01:00', 'WARN', 'évènement 2 😀'),
  ('2016-01-01 00:01:00', 'WARN', 'évènement 2 😀'),
  ('0000-00-00 00:00:00', 'ERROR', NULL),
  ('2014-03-30 02:30:00', 'INFO', 'heure d''été : n''existe pas à Paris');
