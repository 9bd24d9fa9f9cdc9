import { type Kysely, sql } from 'kysely'

// Frozen once merged: imports nothing from the app. Imports may bring historical touchpoints.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table imports drop constraint imports_entity_check;
    alter table imports add constraint imports_entity_check check (entity in
      ('accounts', 'contacts', 'products', 'deals', 'activities', 'campaigns', 'touchpoints'));
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    delete from imports where entity = 'touchpoints';
    alter table imports drop constraint imports_entity_check;
    alter table imports add constraint imports_entity_check check (entity in
      ('accounts', 'contacts', 'products', 'deals', 'activities', 'campaigns'));
  `.execute(db)
}
