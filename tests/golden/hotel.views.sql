DROP SCHEMA IF EXISTS "legacy" CASCADE;
CREATE SCHEMA "legacy";
CREATE VIEW "legacy"."chambre" AS SELECT "id" AS "id", "number" AS "numero", "category"::text AS "categorie", array_to_string("amenities", ',') AS "equipements", "nightly_rate" AS "prix_nuit", "smoking"::integer::smallint AS "fumeur", "renovated_in" AS "annee_renov", "available"::integer::smallint AS "disponible" FROM "hotel"."room";
ALTER VIEW "legacy"."chambre" ALTER COLUMN "categorie" SET DEFAULT ('double')::"hotel"."room_category"::text;
ALTER VIEW "legacy"."chambre" ALTER COLUMN "fumeur" SET DEFAULT (false)::boolean::integer::smallint;
ALTER VIEW "legacy"."chambre" ALTER COLUMN "disponible" SET DEFAULT (true)::boolean::integer::smallint;
CREATE FUNCTION "legacy"."chambre_write"() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $my2pg$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "hotel"."room" ("id", "number", "category", "amenities", "nightly_rate", "smoking", "renovated_in", "available")
      VALUES (COALESCE(NEW."id", nextval(pg_get_serial_sequence('"hotel"."room"', 'id'))), NEW."numero", NEW."categorie"::"hotel"."room_category", CASE WHEN NEW."equipements" = '' THEN '{}'::text[] ELSE string_to_array(NEW."equipements", ',') END, NEW."prix_nuit", (NEW."fumeur" <> 0), NEW."annee_renov", (NEW."disponible" <> 0))
      RETURNING "id", "number", "category"::text, array_to_string("amenities", ','), "nightly_rate", "smoking"::integer::smallint, "renovated_in", "available"::integer::smallint
      INTO NEW."id", NEW."numero", NEW."categorie", NEW."equipements", NEW."prix_nuit", NEW."fumeur", NEW."annee_renov", NEW."disponible";
    RETURN NEW;
  ELSIF TG_OP = 'UPDATE' THEN
    UPDATE "hotel"."room" SET "id" = COALESCE(NEW."id", nextval(pg_get_serial_sequence('"hotel"."room"', 'id'))), "number" = NEW."numero", "category" = NEW."categorie"::"hotel"."room_category", "amenities" = CASE WHEN NEW."equipements" = '' THEN '{}'::text[] ELSE string_to_array(NEW."equipements", ',') END, "nightly_rate" = NEW."prix_nuit", "smoking" = (NEW."fumeur" <> 0), "renovated_in" = NEW."annee_renov", "available" = (NEW."disponible" <> 0)
      WHERE "id" = COALESCE(OLD."id", nextval(pg_get_serial_sequence('"hotel"."room"', 'id')));
    RETURN NEW;
  END IF;
  DELETE FROM "hotel"."room" WHERE "id" = COALESCE(OLD."id", nextval(pg_get_serial_sequence('"hotel"."room"', 'id')));
  RETURN OLD;
END
$my2pg$;
CREATE TRIGGER "chambre_write" INSTEAD OF INSERT OR UPDATE OR DELETE ON "legacy"."chambre" FOR EACH ROW EXECUTE FUNCTION "legacy"."chambre_write"();
CREATE VIEW "legacy"."client" AS SELECT "id" AS "id", "last_name" AS "nom", "first_name" AS "prenom", "email" AS "email", "active"::integer::smallint AS "actif", "country" AS "pays", "birth_date" AS "date_naissance", ("created_at" AT TIME ZONE 'Europe/Paris') AS "date_creation", "balance" AS "solde", "points" AS "points" FROM "hotel"."customer";
ALTER VIEW "legacy"."client" ALTER COLUMN "actif" SET DEFAULT (true)::boolean::integer::smallint;
ALTER VIEW "legacy"."client" ALTER COLUMN "pays" SET DEFAULT ('FR')::char(2);
ALTER VIEW "legacy"."client" ALTER COLUMN "solde" SET DEFAULT (0.00)::numeric(12,2);
ALTER VIEW "legacy"."client" ALTER COLUMN "points" SET DEFAULT (0)::bigint;
CREATE FUNCTION "legacy"."client_write"() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $my2pg$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "hotel"."customer" ("id", "last_name", "first_name", "email", "active", "country", "birth_date", "created_at", "balance", "points")
      VALUES (COALESCE(NEW."id", nextval(pg_get_serial_sequence('"hotel"."customer"', 'id'))), NEW."nom", NEW."prenom", NEW."email", (NEW."actif" <> 0), NEW."pays", NEW."date_naissance", (NEW."date_creation" AT TIME ZONE 'Europe/Paris'), NEW."solde", NEW."points")
      RETURNING "id", "last_name", "first_name", "email", "active"::integer::smallint, "country", "birth_date", ("created_at" AT TIME ZONE 'Europe/Paris'), "balance", "points"
      INTO NEW."id", NEW."nom", NEW."prenom", NEW."email", NEW."actif", NEW."pays", NEW."date_naissance", NEW."date_creation", NEW."solde", NEW."points";
    RETURN NEW;
  ELSIF TG_OP = 'UPDATE' THEN
    UPDATE "hotel"."customer" SET "id" = COALESCE(NEW."id", nextval(pg_get_serial_sequence('"hotel"."customer"', 'id'))), "last_name" = NEW."nom", "first_name" = NEW."prenom", "email" = NEW."email", "active" = (NEW."actif" <> 0), "country" = NEW."pays", "birth_date" = NEW."date_naissance", "created_at" = (NEW."date_creation" AT TIME ZONE 'Europe/Paris'), "balance" = NEW."solde", "points" = NEW."points"
      WHERE "id" = COALESCE(OLD."id", nextval(pg_get_serial_sequence('"hotel"."customer"', 'id')));
    RETURN NEW;
  END IF;
  DELETE FROM "hotel"."customer" WHERE "id" = COALESCE(OLD."id", nextval(pg_get_serial_sequence('"hotel"."customer"', 'id')));
  RETURN OLD;
END
$my2pg$;
CREATE TRIGGER "client_write" INSTEAD OF INSERT OR UPDATE OR DELETE ON "legacy"."client" FOR EACH ROW EXECUTE FUNCTION "legacy"."client_write"();
CREATE VIEW "legacy"."journal" AS SELECT ("logged_at" AT TIME ZONE 'Europe/Paris') AS "quand", "level" AS "niveau", "message" AS "message" FROM "hotel"."event_log";
CREATE FUNCTION "legacy"."journal_write"() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $my2pg$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "hotel"."event_log" ("logged_at", "level", "message")
      VALUES ((NEW."quand" AT TIME ZONE 'Europe/Paris'), NEW."niveau", NEW."message")
      RETURNING ("logged_at" AT TIME ZONE 'Europe/Paris'), "level", "message"
      INTO NEW."quand", NEW."niveau", NEW."message";
    RETURN NEW;
  ELSIF TG_OP = 'UPDATE' THEN
    UPDATE "hotel"."event_log" SET "logged_at" = (NEW."quand" AT TIME ZONE 'Europe/Paris'), "level" = NEW."niveau", "message" = NEW."message"
      WHERE "logged_at" IS NOT DISTINCT FROM (OLD."quand" AT TIME ZONE 'Europe/Paris') AND "level" IS NOT DISTINCT FROM OLD."niveau" AND "message" IS NOT DISTINCT FROM OLD."message";
    RETURN NEW;
  END IF;
  DELETE FROM "hotel"."event_log" WHERE "logged_at" IS NOT DISTINCT FROM (OLD."quand" AT TIME ZONE 'Europe/Paris') AND "level" IS NOT DISTINCT FROM OLD."niveau" AND "message" IS NOT DISTINCT FROM OLD."message";
  RETURN OLD;
END
$my2pg$;
CREATE TRIGGER "journal_write" INSTEAD OF INSERT OR UPDATE OR DELETE ON "legacy"."journal" FOR EACH ROW EXECUTE FUNCTION "legacy"."journal_write"();
CREATE VIEW "legacy"."reservation" AS SELECT "id" AS "id", "customer_id" AS "client_id", "room_id" AS "chambre_id", "arrival_date" AS "date_arrivee", "arrival_time" AS "heure_arrivee", "amount" AS "montant", "vat_rate" AS "taux_tva", "cancelled"::integer::smallint AS "annule", "note" AS "commentaire", "created_at" AS "cree_le", ("updated_at" AT TIME ZONE 'Europe/Paris') AS "modifie_le", "receipt" AS "recu" FROM "hotel"."booking";
ALTER VIEW "legacy"."reservation" ALTER COLUMN "montant" SET DEFAULT (0.00)::numeric(10,2);
ALTER VIEW "legacy"."reservation" ALTER COLUMN "taux_tva" SET DEFAULT (0.1)::numeric(5,4);
ALTER VIEW "legacy"."reservation" ALTER COLUMN "annule" SET DEFAULT (false)::boolean::integer::smallint;
ALTER VIEW "legacy"."reservation" ALTER COLUMN "cree_le" SET DEFAULT (CURRENT_TIMESTAMP)::timestamptz(0);
CREATE FUNCTION "legacy"."reservation_write"() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $my2pg$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "hotel"."booking" ("id", "customer_id", "room_id", "arrival_date", "arrival_time", "amount", "vat_rate", "cancelled", "note", "created_at", "updated_at", "receipt")
      VALUES (COALESCE(NEW."id", nextval(pg_get_serial_sequence('"hotel"."booking"', 'id'))), NEW."client_id", NEW."chambre_id", NEW."date_arrivee", NEW."heure_arrivee", NEW."montant", NEW."taux_tva", (NEW."annule" <> 0), NEW."commentaire", NEW."cree_le", (NEW."modifie_le" AT TIME ZONE 'Europe/Paris'), NEW."recu")
      RETURNING "id", "customer_id", "room_id", "arrival_date", "arrival_time", "amount", "vat_rate", "cancelled"::integer::smallint, "note", "created_at", ("updated_at" AT TIME ZONE 'Europe/Paris'), "receipt"
      INTO NEW."id", NEW."client_id", NEW."chambre_id", NEW."date_arrivee", NEW."heure_arrivee", NEW."montant", NEW."taux_tva", NEW."annule", NEW."commentaire", NEW."cree_le", NEW."modifie_le", NEW."recu";
    RETURN NEW;
  ELSIF TG_OP = 'UPDATE' THEN
    UPDATE "hotel"."booking" SET "id" = COALESCE(NEW."id", nextval(pg_get_serial_sequence('"hotel"."booking"', 'id'))), "customer_id" = NEW."client_id", "room_id" = NEW."chambre_id", "arrival_date" = NEW."date_arrivee", "arrival_time" = NEW."heure_arrivee", "amount" = NEW."montant", "vat_rate" = NEW."taux_tva", "cancelled" = (NEW."annule" <> 0), "note" = NEW."commentaire", "created_at" = NEW."cree_le", "updated_at" = (NEW."modifie_le" AT TIME ZONE 'Europe/Paris'), "receipt" = NEW."recu"
      WHERE "id" = COALESCE(OLD."id", nextval(pg_get_serial_sequence('"hotel"."booking"', 'id')));
    RETURN NEW;
  END IF;
  DELETE FROM "hotel"."booking" WHERE "id" = COALESCE(OLD."id", nextval(pg_get_serial_sequence('"hotel"."booking"', 'id')));
  RETURN OLD;
END
$my2pg$;
CREATE TRIGGER "reservation_write" INSTEAD OF INSERT OR UPDATE OR DELETE ON "legacy"."reservation" FOR EACH ROW EXECUTE FUNCTION "legacy"."reservation_write"();
GRANT USAGE ON SCHEMA "legacy" TO "legacy_app";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "legacy" TO "legacy_app";
DO $my2pg$ BEGIN EXECUTE format('GRANT SELECT ON SEQUENCE %s TO %I', pg_get_serial_sequence('"hotel"."room"', 'id'), 'legacy_app'); END $my2pg$;
DO $my2pg$ BEGIN EXECUTE format('GRANT SELECT ON SEQUENCE %s TO %I', pg_get_serial_sequence('"hotel"."customer"', 'id'), 'legacy_app'); END $my2pg$;
DO $my2pg$ BEGIN EXECUTE format('GRANT SELECT ON SEQUENCE %s TO %I', pg_get_serial_sequence('"hotel"."booking"', 'id'), 'legacy_app'); END $my2pg$;
