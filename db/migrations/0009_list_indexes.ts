import { sql, type Kysely } from "kysely";

/**
 * Lists that scale (issue 14): the indexes every paginated list seeks on, and a search column.
 *
 * `conventions.search_document` is a tsvector ('french' configuration) of the act's title, reference
 * and its parties' names and short names, over folded text (lower case, accents off, « - _ / . ' » as
 * spaces; the same folding as app/models/keyset.server.ts `foldForSearch`). Triggers keep it current:
 * on the act (title, reference), on its parties (convention_organisations) and on an organisation's
 * renaming. A GIN index answers `search_document @@ to_tsquery('french', 'deleg:* & dg:*')`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function paraphe_search_fold(input text) returns text language sql immutable parallel safe as $$
      select translate(lower(coalesce(input, '')), 'àáâãäåçèéêëìíîïñòóôõöùúûüýÿœæ-_/.''’', 'aaaaaaceeeeiiiinooooouuuuyyoa      ')
    $$`.execute(db);
  await sql`
    create function paraphe_search_document(p_title text, p_reference text, p_convention_id uuid) returns tsvector language sql stable as $$
      select to_tsvector('french', paraphe_search_fold(
        coalesce(p_title, '') || ' ' || coalesce(p_reference, '') || ' ' ||
        coalesce((select string_agg(o.name || ' ' || o.short_name, ' ' order by o.name)
                    from convention_organisations co join organisations o on o.id = co.organisation_id
                   where co.convention_id = p_convention_id), '')))
    $$`.execute(db);
  await sql`alter table conventions add column search_document tsvector not null default ''::tsvector`.execute(db);
  await sql`update conventions set search_document = paraphe_search_document(title, reference, id)`.execute(db);

  await sql`
    create function conventions_search_document() returns trigger language plpgsql as $$
    begin
      new.search_document := paraphe_search_document(new.title, new.reference, new.id);
      return new;
    end $$`.execute(db);
  await sql`
    create trigger conventions_search_document before insert or update of title, reference on conventions
    for each row execute function conventions_search_document()`.execute(db);
  // Statement-level (transition tables): a bulk insert of parties recomputes each act once.
  await sql`
    create function convention_parties_search_document() returns trigger language plpgsql as $$
    begin
      if tg_op in ('INSERT', 'UPDATE') then
        update conventions set search_document = paraphe_search_document(title, reference, id)
         where id = any (array(select distinct convention_id from new_parties));
      end if;
      if tg_op in ('DELETE', 'UPDATE') then
        update conventions set search_document = paraphe_search_document(title, reference, id)
         where id = any (array(select distinct convention_id from old_parties));
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger convention_parties_search_document_insert after insert on convention_organisations
    referencing new table as new_parties for each statement execute function convention_parties_search_document()`.execute(db);
  await sql`
    create trigger convention_parties_search_document_update after update on convention_organisations
    referencing old table as old_parties new table as new_parties for each statement execute function convention_parties_search_document()`.execute(db);
  await sql`
    create trigger convention_parties_search_document_delete after delete on convention_organisations
    referencing old table as old_parties for each statement execute function convention_parties_search_document()`.execute(db);
  await sql`
    create function organisation_search_document() returns trigger language plpgsql as $$
    begin
      if new.name is distinct from old.name or new.short_name is distinct from old.short_name then
        update conventions set search_document = paraphe_search_document(title, reference, id)
         where id in (select convention_id from convention_organisations where organisation_id = new.id);
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger organisation_search_document after update on organisations
    for each row execute function organisation_search_document()`.execute(db);

  // Conventions: search, keyset order by last update (all, or one status), year filter.
  await sql`create index conventions_search on conventions using gin (search_document)`.execute(db);
  await sql`create index conventions_updated on conventions (updated_at, id)`.execute(db);
  await sql`create index conventions_status_updated on conventions (status, updated_at, id)`.execute(db);
  await sql`create index conventions_created on conventions (created_at)`.execute(db);
  await sql`create index conventions_echeancier on conventions using gin ((data -> 'financement' -> 'echeancier') jsonb_path_ops)`.execute(db);
  // An organisation's conventions (the primary key is (convention_id, organisation_id)).
  // Covering (role too): an organisation's list and counts read this index only, never the table.
  await sql`create index convention_organisations_organisation on convention_organisations (organisation_id, convention_id) include (role)`.execute(db);
  // The counts per tab: an act's status by id, from the index alone.
  await sql`create index conventions_id_status on conventions (id) include (status)`.execute(db);
  // « À signer »: the members waiting for a person; a convention's steps.
  await sql`create index step_members_person_waiting on step_members (person_id) where status = 'en_attente'`.execute(db);
  await sql`create index circuit_steps_convention on circuit_steps (convention_id, position)`.execute(db);
  // « À signer » reads the steps in progress from this index alone (covering, partial).
  await sql`create index circuit_steps_in_progress on circuit_steps (id) include (convention_id, label, kind, deadline) where status = 'en_cours'`.execute(db);
  // Alerts of a person, newest first; transmissions by convention come from their unique key.
  await sql`create index alerts_person_created on alerts (person_id, created_at, id)`.execute(db);
  await sql`create index alerts_person_unread on alerts (person_id) where read_at is null`.execute(db);
  await sql`create index transmissions_unacknowledged on transmissions (convention_id) where acknowledged_at is null and recipient_kind in ('cbcm','destinataire')`.execute(db);
  // A transmission's delivery state from the index alone (the outbox is the largest table).
  await sql`create index outbox_messages_delivery on outbox_messages (id) include (status, sent_at)`.execute(db);
  // Admin lists.
  await sql`create index people_name on people (last_name, first_name, id)`.execute(db);
  await sql`create index organisations_name_id on organisations (name, id)`.execute(db);
  await sql`create index cbcm_name_id on cbcm (name, id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of [
    "cbcm_name_id",
    "organisations_name_id",
    "people_name",
    "outbox_messages_delivery",
    "transmissions_unacknowledged",
    "alerts_person_unread",
    "alerts_person_created",
    "circuit_steps_in_progress",
    "circuit_steps_convention",
    "step_members_person_waiting",
    "conventions_id_status",
    "convention_organisations_organisation",
    "conventions_echeancier",
    "conventions_created",
    "conventions_status_updated",
    "conventions_updated",
    "conventions_search",
  ]) {
    await sql`drop index ${sql.id(index)}`.execute(db);
  }
  await sql`drop trigger organisation_search_document on organisations`.execute(db);
  for (const op of ["insert", "update", "delete"]) {
    await sql`drop trigger ${sql.id(`convention_parties_search_document_${op}`)} on convention_organisations`.execute(db);
  }
  await sql`drop trigger conventions_search_document on conventions`.execute(db);
  await sql`drop function organisation_search_document()`.execute(db);
  await sql`drop function convention_parties_search_document()`.execute(db);
  await sql`drop function conventions_search_document()`.execute(db);
  await sql`alter table conventions drop column search_document`.execute(db);
  await sql`drop function paraphe_search_document(text, text, uuid)`.execute(db);
  await sql`drop function paraphe_search_fold(text)`.execute(db);
}
