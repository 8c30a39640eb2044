package parley.records;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import parley.config.ParleyProperties;

/**
 * With no {@code spring.datasource.url}, Parley keeps its records in a PostgreSQL server of its own: the real
 * server, from Maven Central jars, with its data in {@code parley.records.database-folder}, so the demo keeps
 * records too and there is one SQL dialect everywhere. Pointing {@code spring.datasource.*} at any PostgreSQL
 * replaces it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.datasource.url", matchIfMissing = true, havingValue = "embedded")
class EmbeddedDatabase {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(ParleyProperties properties) throws IOException {
        Path folder = Path.of(properties.records().databaseFolder()).toAbsolutePath();
        Files.createDirectories(folder);
        EmbeddedPostgres server = EmbeddedPostgres.builder()
                .setDataDirectory(folder)
                .setCleanDataDirectory(false)
                .start();
        LOG.info("Call records: embedded PostgreSQL on port {}, data in {}", server.getPort(), folder);
        return server;
    }

    @Bean
    DataSource dataSource(EmbeddedPostgres server) {
        return server.getPostgresDatabase();
    }
}
