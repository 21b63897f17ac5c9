import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Keys remember the organization they were created in, so a user's second organization does not turn every
 * request of their older keys into ORGANIZATION_REQUIRED. Existing keys get their pin, else the user's only
 * organization at the time the key was created, else the user's only organization now; where that is ambiguous the
 * key keeps needing X-Organization-Id (the error says so).
 */
export class KeyDefaultOrganization1796170000000 implements MigrationInterface {
    name = 'KeyDefaultOrganization1796170000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "personal_api_keys" ADD "default_organization_id" uuid`);
        await queryRunner.query(`ALTER TABLE "personal_api_keys" ADD CONSTRAINT "FK_eede23f99a5eadf63272f2cd596" FOREIGN KEY ("default_organization_id") REFERENCES "organizations"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`UPDATE "personal_api_keys" k SET "default_organization_id" = k."scoped_organization_id" WHERE k."scoped_organization_id" IS NOT NULL AND EXISTS (SELECT 1 FROM "organizations" o WHERE o."id" = k."scoped_organization_id")`);
        await queryRunner.query(`UPDATE "personal_api_keys" k SET "default_organization_id" = m."organization_id"
            FROM (SELECT k2."id" AS key_id, min(m2."organization_id"::text)::uuid AS organization_id
                    FROM "personal_api_keys" k2 JOIN "memberships" m2 ON m2."user_id" = k2."user_id" AND m2."created_at" <= k2."created_at"
                   WHERE k2."default_organization_id" IS NULL GROUP BY k2."id" HAVING count(*) = 1) m
           WHERE k."id" = m.key_id`);
        await queryRunner.query(`UPDATE "personal_api_keys" k SET "default_organization_id" = m."organization_id"
            FROM (SELECT m2."user_id", min(m2."organization_id"::text)::uuid AS organization_id FROM "memberships" m2 GROUP BY m2."user_id" HAVING count(*) = 1) m
           WHERE k."default_organization_id" IS NULL AND k."user_id" = m."user_id"`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "personal_api_keys" DROP CONSTRAINT "FK_eede23f99a5eadf63272f2cd596"`);
        await queryRunner.query(`ALTER TABLE "personal_api_keys" DROP COLUMN "default_organization_id"`);
    }

}
