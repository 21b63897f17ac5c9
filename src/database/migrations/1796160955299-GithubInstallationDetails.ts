import { MigrationInterface, QueryRunner } from "typeorm";

export class GithubInstallationDetails1796160955299 implements MigrationInterface {
    name = 'GithubInstallationDetails1796160955299'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "github_installations" ADD "account" jsonb`);
        await queryRunner.query(`ALTER TABLE "github_installations" ADD "permissions" jsonb NOT NULL DEFAULT '{}'`);
        await queryRunner.query(`ALTER TABLE "github_installations" ADD "events" jsonb NOT NULL DEFAULT '[]'`);
        await queryRunner.query(`ALTER TABLE "github_installations" ADD "single_file_name" character varying(1024)`);
        await queryRunner.query(`ALTER TABLE "github_installations" ADD "suspended_by" jsonb`);
        await queryRunner.query(`ALTER TABLE "github_installations" ADD "github_created_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`ALTER TABLE "github_installations" ADD "github_updated_at" TIMESTAMP WITH TIME ZONE`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "github_installations" DROP COLUMN "github_updated_at"`);
        await queryRunner.query(`ALTER TABLE "github_installations" DROP COLUMN "github_created_at"`);
        await queryRunner.query(`ALTER TABLE "github_installations" DROP COLUMN "suspended_by"`);
        await queryRunner.query(`ALTER TABLE "github_installations" DROP COLUMN "single_file_name"`);
        await queryRunner.query(`ALTER TABLE "github_installations" DROP COLUMN "events"`);
        await queryRunner.query(`ALTER TABLE "github_installations" DROP COLUMN "permissions"`);
        await queryRunner.query(`ALTER TABLE "github_installations" DROP COLUMN "account"`);
    }

}
