import { type Kysely, sql } from 'kysely'

// Frozen once merged: imports nothing from the app. The incremental attribution recompute (issue 12):
// - attribution_queue: deals, contacts and accounts whose journeys changed since the last run.
//   Statement triggers fill it: touches inserted, changed or deleted (their contact, or their account
//   when they have no contact), deals and their contacts changed where attribution reads them,
//   lifecycle entries of contacts, contacts moved to another account, merged or deleted.
// - attribution_contributions: each subject's share of the rollups per conversion kind
//   ([model, month, kind, channel, campaign id, conversions, revenue] rows), which the incremental
//   run subtracts before adding the subject's new share.
// Rows of a workspace being deleted (its cascade) queue nothing.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table attribution_queue (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      subject text not null check (subject in ('contact', 'account', 'deal')),
      id uuid not null,
      queued_at timestamptz not null default now(),
      primary key (workspace_id, subject, id)
    );
    create table attribution_contributions (
      workspace_id uuid not null references workspaces (id) on delete cascade,
      subject_id uuid not null,
      conversion text not null,
      rows jsonb not null,
      primary key (workspace_id, subject_id, conversion)
    );

    create function attribution_queue_new_touches() returns trigger language plpgsql as $$
    begin
      insert into attribution_queue (workspace_id, subject, id)
      select distinct n.workspace_id,
        case when n.contact_id is null then 'account' else 'contact' end,
        coalesce(n.contact_id, n.account_id)
      from new_rows n
      where coalesce(n.contact_id, n.account_id) is not null and (tg_op = 'UPDATE' or not n.is_bot)
        and exists (select 1 from workspaces w where w.id = n.workspace_id)
      on conflict do nothing;
      return null;
    end $$;
    create function attribution_queue_old_touches() returns trigger language plpgsql as $$
    begin
      insert into attribution_queue (workspace_id, subject, id)
      select distinct o.workspace_id,
        case when o.contact_id is null then 'account' else 'contact' end,
        coalesce(o.contact_id, o.account_id)
      from old_rows o
      where coalesce(o.contact_id, o.account_id) is not null
        and exists (select 1 from workspaces w where w.id = o.workspace_id)
      on conflict do nothing;
      return null;
    end $$;
    create trigger touchpoints_attribution_insert after insert on touchpoints
      referencing new table as new_rows
      for each statement execute function attribution_queue_new_touches();
    create trigger touchpoints_attribution_update_new after update on touchpoints
      referencing new table as new_rows
      for each statement execute function attribution_queue_new_touches();
    create trigger touchpoints_attribution_update_old after update on touchpoints
      referencing old table as old_rows
      for each statement execute function attribution_queue_old_touches();
    create trigger touchpoints_attribution_delete after delete on touchpoints
      referencing old table as old_rows
      for each statement execute function attribution_queue_old_touches();

    create function attribution_queue_new_deals() returns trigger language plpgsql as $$
    begin
      insert into attribution_queue (workspace_id, subject, id)
      select distinct n.workspace_id, 'deal', n.deal_id from new_rows n
      where exists (select 1 from workspaces w where w.id = n.workspace_id)
      on conflict do nothing;
      return null;
    end $$;
    create function attribution_queue_old_deals() returns trigger language plpgsql as $$
    begin
      insert into attribution_queue (workspace_id, subject, id)
      select distinct o.workspace_id, 'deal', o.deal_id from old_rows o
      where exists (select 1 from workspaces w where w.id = o.workspace_id)
      on conflict do nothing;
      return null;
    end $$;
    create trigger deal_contacts_attribution_insert after insert on deal_contacts
      referencing new table as new_rows
      for each statement execute function attribution_queue_new_deals();
    create trigger deal_contacts_attribution_update after update on deal_contacts
      referencing new table as new_rows
      for each statement execute function attribution_queue_new_deals();
    create trigger deal_contacts_attribution_delete after delete on deal_contacts
      referencing old table as old_rows
      for each statement execute function attribution_queue_old_deals();

    create function attribution_queue_deals() returns trigger language plpgsql as $$
    begin
      insert into attribution_queue (workspace_id, subject, id)
      select distinct n.workspace_id, 'deal', n.id from new_rows n
      where exists (select 1 from workspaces w where w.id = n.workspace_id)
      on conflict do nothing;
      return null;
    end $$;
    create function attribution_queue_changed_deals() returns trigger language plpgsql as $$
    begin
      insert into attribution_queue (workspace_id, subject, id)
      select distinct n.workspace_id, 'deal', n.id
      from new_rows n join old_rows o on o.workspace_id = n.workspace_id and o.id = n.id
      where (o.stage_id, o.amount, o.currency, o.account_id, o.created_at, o.closed_at, o.deleted_at)
        is distinct from
        (n.stage_id, n.amount, n.currency, n.account_id, n.created_at, n.closed_at, n.deleted_at)
        and exists (select 1 from workspaces w where w.id = n.workspace_id)
      on conflict do nothing;
      return null;
    end $$;
    create trigger deals_attribution_insert after insert on deals
      referencing new table as new_rows
      for each statement execute function attribution_queue_deals();
    create trigger deals_attribution_update after update on deals
      referencing old table as old_rows new table as new_rows
      for each statement execute function attribution_queue_changed_deals();

    create function attribution_queue_lifecycle() returns trigger language plpgsql as $$
    begin
      insert into attribution_queue (workspace_id, subject, id)
      select distinct n.workspace_id, 'contact', n.record_id from new_rows n
      where n.entity = 'contact' and exists (select 1 from workspaces w where w.id = n.workspace_id)
      on conflict do nothing;
      return null;
    end $$;
    create trigger lifecycle_entries_attribution_insert after insert on lifecycle_entries
      referencing new table as new_rows
      for each statement execute function attribution_queue_lifecycle();

    create function attribution_queue_changed_contacts() returns trigger language plpgsql as $$
    begin
      insert into attribution_queue (workspace_id, subject, id)
      select distinct changed.workspace_id, changed.subject, changed.id
      from new_rows n
      join old_rows o on o.workspace_id = n.workspace_id and o.id = n.id
      cross join lateral (values
        (n.workspace_id, 'contact', n.id),
        (n.workspace_id, 'account', o.account_id),
        (n.workspace_id, 'account', n.account_id)
      ) as changed (workspace_id, subject, id)
      where changed.id is not null
        and (o.account_id, o.lead_creation_touchpoint_id, o.deleted_at, o.merged_into)
          is distinct from (n.account_id, n.lead_creation_touchpoint_id, n.deleted_at, n.merged_into)
        and exists (select 1 from workspaces w where w.id = n.workspace_id)
      on conflict do nothing;
      return null;
    end $$;
    create trigger contacts_attribution_update after update on contacts
      referencing old table as old_rows new table as new_rows
      for each statement execute function attribution_queue_changed_contacts();
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger contacts_attribution_update on contacts;
    drop trigger lifecycle_entries_attribution_insert on lifecycle_entries;
    drop trigger deals_attribution_update on deals;
    drop trigger deals_attribution_insert on deals;
    drop trigger deal_contacts_attribution_delete on deal_contacts;
    drop trigger deal_contacts_attribution_update on deal_contacts;
    drop trigger deal_contacts_attribution_insert on deal_contacts;
    drop trigger touchpoints_attribution_delete on touchpoints;
    drop trigger touchpoints_attribution_update_old on touchpoints;
    drop trigger touchpoints_attribution_update_new on touchpoints;
    drop trigger touchpoints_attribution_insert on touchpoints;
    drop function attribution_queue_changed_contacts, attribution_queue_lifecycle,
      attribution_queue_changed_deals, attribution_queue_deals, attribution_queue_old_deals,
      attribution_queue_new_deals, attribution_queue_old_touches, attribution_queue_new_touches;
    drop table attribution_contributions, attribution_queue;
  `.execute(db)
}
