import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Outbox mail belongs to an organization (its admins list, retry and discard it; deleting the organization deletes
 * it) and says what it is about, so a mail no longer relevant at send time is discarded instead of delivered late.
 * Invitations already waiting are linked to their organization by recipient and subject where that is unambiguous.
 */
export class OutboxOrganizationAndRelevance1796170200000 implements MigrationInterface {
    name = 'OutboxOrganizationAndRelevance1796170200000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "outbox_emails" ADD "organization_id" uuid`);
        await queryRunner.query(`ALTER TABLE "outbox_emails" ADD "about" character varying(128)`);
        await queryRunner.query(`CREATE INDEX "IDX_f92cb668d1fe1b8dd5075c3377" ON "outbox_emails"  ("organization_id") `);
        await queryRunner.query(`ALTER TABLE "outbox_emails" ADD CONSTRAINT "FK_f92cb668d1fe1b8dd5075c3377d" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`UPDATE "outbox_emails" e SET "organization_id" = i."organization_id", "about" = 'invite:' || i."id"
            FROM (SELECT DISTINCT ON (i2."email", o."name") i2."id", i2."organization_id", i2."email", o."name"
                    FROM "invites" i2 JOIN "organizations" o ON o."id" = i2."organization_id" ORDER BY i2."email", o."name", i2."created_at" DESC) i
           WHERE e."status" = 'unsent' AND e."to_addresses" = ARRAY[i."email"]::text[] AND e."subject" LIKE '% invited you to ' || i."name" || ' on Integrations Hub'`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        // Discarded mail must never go out: without the status it is recorded as done.
        await queryRunner.query(`UPDATE "outbox_emails" SET "status" = 'sent' WHERE "status" = 'discarded'`);
        await queryRunner.query(`ALTER TABLE "outbox_emails" DROP CONSTRAINT "FK_f92cb668d1fe1b8dd5075c3377d"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_f92cb668d1fe1b8dd5075c3377"`);
        await queryRunner.query(`ALTER TABLE "outbox_emails" DROP COLUMN "about"`);
        await queryRunner.query(`ALTER TABLE "outbox_emails" DROP COLUMN "organization_id"`);
    }

}
