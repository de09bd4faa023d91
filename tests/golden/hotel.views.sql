CREATE SCHEMA IF NOT EXISTS "legacy";
DO $my2pg$
DECLARE
  object text;
BEGIN
  FOR object IN SELECT c.oid::regclass::text FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'legacy' AND c.relkind = 'v'
        AND pg_catalog.obj_description(c.oid, 'pg_class') = 'my2pg compatibility view' LOOP
    EXECUTE 'DROP VIEW ' || object;
  END LOOP;
  FOR object IN SELECT p.oid::regprocedure::text FROM pg_catalog.pg_proc p
      JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'legacy'
        AND pg_catalog.obj_description(p.oid, 'pg_proc') = 'my2pg compatibility view' LOOP
    EXECUTE 'DROP FUNCTION ' || object;
  END LOOP;
END
$my2pg$;
CREATE VIEW "legacy"."chambre" AS SELECT "id" AS "id", "number" AS "numero", "category"::text AS "categorie", array_to_string("amenities", ',') AS "equipements", "nightly_rate" AS "prix_nuit", "smoking"::integer::smallint AS "fumeur", "renovated_in" AS "annee_renov", "available"::integer::smallint AS "disponible" FROM "hotel"."room";
COMMENT ON VIEW "legacy"."chambre" IS 'my2pg compatibility view';
ALTER VIEW "legacy"."chambre" ALTER COLUMN "categorie" SET DEFAULT ('double')::"hotel"."room_category"::text;
ALTER VIEW "legacy"."chambre" ALTER COLUMN "fumeur" SET DEFAULT (false)::boolean::integer::smallint;
ALTER VIEW "legacy"."chambre" ALTER COLUMN "disponible" SET DEFAULT (true)::boolean::integer::smallint;
CREATE FUNCTION "legacy"."chambre_write"() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $my2pg$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "hotel"."room" AS my2pg_row ("id", "number", "category", "amenities", "nightly_rate", "smoking", "renovated_in", "available")
      VALUES (COALESCE(NEW."id", nextval(pg_get_serial_sequence('"hotel"."room"', 'id'))), NEW."numero", NEW."categorie"::"hotel"."room_category", CASE WHEN NEW."equipements" = '' THEN '{}'::text[] ELSE string_to_array(NEW."equipements", ',') END, NEW."prix_nuit", (NEW."fumeur" <> 0), NEW."annee_renov", (NEW."disponible" <> 0))
      RETURNING my2pg_row."id", my2pg_row."number", my2pg_row."category"::text, array_to_string(my2pg_row."amenities", ','), my2pg_row."nightly_rate", my2pg_row."smoking"::integer::smallint, my2pg_row."renovated_in", my2pg_row."available"::integer::smallint
      INTO NEW."id", NEW."numero", NEW."categorie", NEW."equipements", NEW."prix_nuit", NEW."fumeur", NEW."annee_renov", NEW."disponible";
    RETURN NEW;
  ELSIF TG_OP = 'UPDATE' THEN
    UPDATE "hotel"."room" AS my2pg_row SET "id" = COALESCE(NEW."id", nextval(pg_get_serial_sequence('"hotel"."room"', 'id'))), "number" = NEW."numero", "category" = NEW."categorie"::"hotel"."room_category", "amenities" = CASE WHEN NEW."equipements" = '' THEN '{}'::text[] ELSE string_to_array(NEW."equipements", ',') END, "nightly_rate" = NEW."prix_nuit", "smoking" = (NEW."fumeur" <> 0), "renovated_in" = NEW."annee_renov", "available" = (NEW."disponible" <> 0)
      WHERE my2pg_row."id" = OLD."id";
    RETURN NEW;
  END IF;
  DELETE FROM "hotel"."room" AS my2pg_row WHERE my2pg_row."id" = OLD."id";
  RETURN OLD;
END
$my2pg$;
COMMENT ON FUNCTION "legacy"."chambre_write"() IS 'my2pg compatibility view';
CREATE TRIGGER "chambre_write" INSTEAD OF INSERT OR UPDATE OR DELETE ON "legacy"."chambre" FOR EACH ROW EXECUTE FUNCTION "legacy"."chambre_write"();
CREATE VIEW "legacy"."client" AS SELECT "id" AS "id", "last_name" AS "nom", "first_name" AS "prenom", "email" AS "email", "active"::integer::smallint AS "actif", "country" AS "pays", "birth_date" AS "date_naissance", ("created_at" AT TIME ZONE 'Europe/Paris') AS "date_creation", "balance" AS "solde", "points" AS "points" FROM "hotel"."customer";
COMMENT ON VIEW "legacy"."client" IS 'my2pg compatibility view';
ALTER VIEW "legacy"."client" ALTER COLUMN "actif" SET DEFAULT (true)::boolean::integer::smallint;
ALTER VIEW "legacy"."client" ALTER COLUMN "pays" SET DEFAULT ('FR')::char(2);
ALTER VIEW "legacy"."client" ALTER COLUMN "solde" SET DEFAULT (0.00)::numeric(12,2);
ALTER VIEW "legacy"."client" ALTER COLUMN "points" SET DEFAULT (0)::bigint;
CREATE FUNCTION "legacy"."client_write"() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $my2pg$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "hotel"."customer" AS my2pg_row ("id", "last_name", "first_name", "email", "active", "country", "birth_date", "created_at", "balance", "points")
      VALUES (COALESCE(NEW."id", nextval(pg_get_serial_sequence('"hotel"."customer"', 'id'))), NEW."nom", NEW."prenom", NEW."email", (NEW."actif" <> 0), NEW."pays", NEW."date_naissance", (NEW."date_creation" AT TIME ZONE 'Europe/Paris'), NEW."solde", NEW."points")
      RETURNING my2pg_row."id", my2pg_row."last_name", my2pg_row."first_name", my2pg_row."email", my2pg_row."active"::integer::smallint, my2pg_row."country", my2pg_row."birth_date", (my2pg_row."created_at" AT TIME ZONE 'Europe/Paris'), my2pg_row."balance", my2pg_row."points"
      INTO NEW."id", NEW."nom", NEW."prenom", NEW."email", NEW."actif", NEW."pays", NEW."date_naissance", NEW."date_creation", NEW."solde", NEW."points";
    RETURN NEW;
  ELSIF TG_OP = 'UPDATE' THEN
    UPDATE "hotel"."customer" AS my2pg_row SET "id" = COALESCE(NEW."id", nextval(pg_get_serial_sequence('"hotel"."customer"', 'id'))), "last_name" = NEW."nom", "first_name" = NEW."prenom", "email" = NEW."email", "active" = (NEW."actif" <> 0), "country" = NEW."pays", "birth_date" = NEW."date_naissance", "created_at" = (NEW."date_creation" AT TIME ZONE 'Europe/Paris'), "balance" = NEW."solde", "points" = NEW."points"
      WHERE my2pg_row."id" = OLD."id";
    RETURN NEW;
  END IF;
  DELETE FROM "hotel"."customer" AS my2pg_row WHERE my2pg_row."id" = OLD."id";
  RETURN OLD;
END
$my2pg$;
COMMENT ON FUNCTION "legacy"."client_write"() IS 'my2pg compatibility view';
CREATE TRIGGER "client_write" INSTEAD OF INSERT OR UPDATE OR DELETE ON "legacy"."client" FOR EACH ROW EXECUTE FUNCTION "legacy"."client_write"();
CREATE VIEW "legacy"."journal" AS SELECT ("logged_at" AT TIME ZONE 'Europe/Paris') AS "quand", "level" AS "niveau", "message" AS "message" FROM "hotel"."event_log";
COMMENT ON VIEW "legacy"."journal" IS 'my2pg compatibility view';
CREATE FUNCTION "legacy"."journal_write"() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $my2pg$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "hotel"."event_log" AS my2pg_row ("logged_at", "level", "message")
      VALUES ((NEW."quand" AT TIME ZONE 'Europe/Paris'), NEW."niveau", NEW."message")
      RETURNING (my2pg_row."logged_at" AT TIME ZONE 'Europe/Paris'), my2pg_row."level", my2pg_row."message"
      INTO NEW."quand", NEW."niveau", NEW."message";
    RETURN NEW;
  ELSIF TG_OP = 'UPDATE' THEN
    UPDATE "hotel"."event_log" AS my2pg_row SET "logged_at" = (NEW."quand" AT TIME ZONE 'Europe/Paris'), "level" = NEW."niveau", "message" = NEW."message"
      WHERE my2pg_row."logged_at" IS NOT DISTINCT FROM (OLD."quand" AT TIME ZONE 'Europe/Paris') AND my2pg_row."level" IS NOT DISTINCT FROM OLD."niveau" AND my2pg_row."message" IS NOT DISTINCT FROM OLD."message";
    RETURN NEW;
  END IF;
  DELETE FROM "hotel"."event_log" AS my2pg_row WHERE my2pg_row."logged_at" IS NOT DISTINCT FROM (OLD."quand" AT TIME ZONE 'Europe/Paris') AND my2pg_row."level" IS NOT DISTINCT FROM OLD."niveau" AND my2pg_row."message" IS NOT DISTINCT FROM OLD."message";
  RETURN OLD;
END
$my2pg$;
COMMENT ON FUNCTION "legacy"."journal_write"() IS 'my2pg compatibility view';
CREATE TRIGGER "journal_write" INSTEAD OF INSERT OR UPDATE OR DELETE ON "legacy"."journal" FOR EACH ROW EXECUTE FUNCTION "legacy"."journal_write"();
CREATE VIEW "legacy"."reservation" AS SELECT "id" AS "id", "customer_id" AS "client_id", "room_id" AS "chambre_id", "arrival_date" AS "date_arrivee", "arrival_time" AS "heure_arrivee", "amount" AS "montant", "vat_rate" AS "taux_tva", "cancelled"::integer::smallint AS "annule", "note" AS "commentaire", "created_at" AS "cree_le", ("updated_at" AT TIME ZONE 'Europe/Paris') AS "modifie_le", "receipt" AS "recu" FROM "hotel"."booking";
COMMENT ON VIEW "legacy"."reservation" IS 'my2pg compatibility view';
ALTER VIEW "legacy"."reservation" ALTER COLUMN "montant" SET DEFAULT (0.00)::numeric(10,2);
ALTER VIEW "legacy"."reservation" ALTER COLUMN "taux_tva" SET DEFAULT (0.1)::numeric(5,4);
ALTER VIEW "legacy"."reservation" ALTER COLUMN "annule" SET DEFAULT (false)::boolean::integer::smallint;
ALTER VIEW "legacy"."reservation" ALTER COLUMN "cree_le" SET DEFAULT (CURRENT_TIMESTAMP)::timestamptz(0);
CREATE FUNCTION "legacy"."reservation_write"() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $my2pg$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "hotel"."booking" AS my2pg_row ("id", "customer_id", "room_id", "arrival_date", "arrival_time", "amount", "vat_rate", "cancelled", "note", "created_at", "updated_at", "receipt")
      VALUES (COALESCE(NEW."id", nextval(pg_get_serial_sequence('"hotel"."booking"', 'id'))), NEW."client_id", NEW."chambre_id", NEW."date_arrivee", NEW."heure_arrivee", NEW."montant", NEW."taux_tva", (NEW."annule" <> 0), NEW."commentaire", NEW."cree_le", (NEW."modifie_le" AT TIME ZONE 'Europe/Paris'), NEW."recu")
      RETURNING my2pg_row."id", my2pg_row."customer_id", my2pg_row."room_id", my2pg_row."arrival_date", my2pg_row."arrival_time", my2pg_row."amount", my2pg_row."vat_rate", my2pg_row."cancelled"::integer::smallint, my2pg_row."note", my2pg_row."created_at", (my2pg_row."updated_at" AT TIME ZONE 'Europe/Paris'), my2pg_row."receipt"
      INTO NEW."id", NEW."client_id", NEW."chambre_id", NEW."date_arrivee", NEW."heure_arrivee", NEW."montant", NEW."taux_tva", NEW."annule", NEW."commentaire", NEW."cree_le", NEW."modifie_le", NEW."recu";
    RETURN NEW;
  ELSIF TG_OP = 'UPDATE' THEN
    UPDATE "hotel"."booking" AS my2pg_row SET "id" = COALESCE(NEW."id", nextval(pg_get_serial_sequence('"hotel"."booking"', 'id'))), "customer_id" = NEW."client_id", "room_id" = NEW."chambre_id", "arrival_date" = NEW."date_arrivee", "arrival_time" = NEW."heure_arrivee", "amount" = NEW."montant", "vat_rate" = NEW."taux_tva", "cancelled" = (NEW."annule" <> 0), "note" = NEW."commentaire", "created_at" = NEW."cree_le", "updated_at" = (NEW."modifie_le" AT TIME ZONE 'Europe/Paris'), "receipt" = NEW."recu"
      WHERE my2pg_row."id" = OLD."id";
    RETURN NEW;
  END IF;
  DELETE FROM "hotel"."booking" AS my2pg_row WHERE my2pg_row."id" = OLD."id";
  RETURN OLD;
END
$my2pg$;
COMMENT ON FUNCTION "legacy"."reservation_write"() IS 'my2pg compatibility view';
CREATE TRIGGER "reservation_write" INSTEAD OF INSERT OR UPDATE OR DELETE ON "legacy"."reservation" FOR EACH ROW EXECUTE FUNCTION "legacy"."reservation_write"();
GRANT USAGE ON SCHEMA "legacy" TO "legacy_app";
GRANT SELECT, INSERT, UPDATE, DELETE ON "legacy"."chambre" TO "legacy_app";
GRANT SELECT, INSERT, UPDATE, DELETE ON "legacy"."client" TO "legacy_app";
GRANT SELECT, INSERT, UPDATE, DELETE ON "legacy"."journal" TO "legacy_app";
GRANT SELECT, INSERT, UPDATE, DELETE ON "legacy"."reservation" TO "legacy_app";
DO $my2pg$ BEGIN EXECUTE format('GRANT SELECT ON SEQUENCE %s TO %I', pg_get_serial_sequence('"hotel"."room"', 'id'), 'legacy_app'); END $my2pg$;
DO $my2pg$ BEGIN EXECUTE format('GRANT SELECT ON SEQUENCE %s TO %I', pg_get_serial_sequence('"hotel"."customer"', 'id'), 'legacy_app'); END $my2pg$;
DO $my2pg$ BEGIN EXECUTE format('GRANT SELECT ON SEQUENCE %s TO %I', pg_get_serial_sequence('"hotel"."booking"', 'id'), 'legacy_app'); END $my2pg$;
