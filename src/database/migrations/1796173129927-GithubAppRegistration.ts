import { MigrationInterface, QueryRunner } from "typeorm";

export class GithubAppRegistration1796173129927 implements MigrationInterface {
    name = 'GithubAppRegistration1796173129927'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "github_app_registrations" ("id" character varying(16) NOT NULL, "app_id" character varying(32) NOT NULL, "slug" character varying(100) NOT NULL, "client_id" character varying(100) NOT NULL, "html_url" text NOT NULL, "owner_login" character varying(100), "api_url" text NOT NULL, "sealed_private_key" text NOT NULL, "sealed_client_secret" text NOT NULL, "sealed_webhook_secret" text, "created_by" uuid, "organization_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2f8a76b64df49c478da96454243" PRIMARY KEY ("id"))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "github_app_registrations"`);
    }

}
