package dev.meshgate.controlplane;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import org.springframework.cloud.context.refresh.ContextRefresher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;

import java.time.Duration;

/**
 * The {@code configServer} health component and its retries, for every application that imports its
 * configuration from the config server. Its switches are read by the watch itself at run time
 * ({@link ConfigServerWatch#watched()}), not by a condition here: a mesh-node evaluates conditions once,
 * when its jar is built (Spring AOT).
 */
@AutoConfiguration(after = RefreshAutoConfiguration.class)
@EnableConfigurationProperties(ConfigServerProperties.class)
public class ConfigServerWatchAutoConfiguration {

    /** Short: a probe must finish well within a retry interval, and a config server that slow is not up. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    /** Named so the health component is {@code configServer}. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(ContextRefresher.class)
    public ConfigServerWatch configServerHealthIndicator(ConfigurableEnvironment environment,
            ConfigServerProperties properties, ContextRefresher refresher) {
        ConfigServerProbe probe = HttpConfigServerProbe.forApplication(properties.url(), configName(environment), PROBE_TIMEOUT);
        return new ConfigServerWatch(environment, properties, probe, refresher::refresh);
    }

    /** The name(s) the config client asks the config server for, so the probe asks for the same. */
    static String configName(ConfigurableEnvironment environment) {
        return environment.getProperty("spring.cloud.config.name",
                environment.getProperty("spring.application.name", "application"));
    }
}
