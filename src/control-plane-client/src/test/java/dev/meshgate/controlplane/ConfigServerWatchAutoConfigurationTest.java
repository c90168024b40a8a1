package dev.meshgate.controlplane;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import org.springframework.core.env.StandardEnvironment;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigServerWatchAutoConfigurationTest {

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RefreshAutoConfiguration.class, ConfigServerWatchAutoConfiguration.class));

    @Test
    void addsTheConfigServerHealthComponentProbingTheApplicationsConfiguration() {
        contexts.withPropertyValues("spring.application.name=registry", "mesh.config-server.url=http://10.0.0.1:8888")
                .run(context -> {
                    assertThat(context).hasSingleBean(ConfigServerWatch.class);
                    assertThat(context).hasBean("configServerHealthIndicator");
                    assertThat(context.getBean(ConfigServerWatch.class).health().getDetails())
                            .containsEntry("url", "http://10.0.0.1:8888");
                });
    }

    @Test
    void probesUnderTheConfigClientsNamesWhenSet() {
        contexts.withPropertyValues("spring.application.name=mesh-node", "spring.cloud.config.name=mesh-node,search")
                .run(context -> assertThat(ConfigServerWatchAutoConfiguration.configName(context.getEnvironment()))
                        .isEqualTo("mesh-node,search"));
    }

    @Test
    void switchedOffByItsOwnPropertyOrWithTheConfigClientAtRunTime() {
        // Not by a condition: a node's conditions are evaluated once, when its jar is built (Spring AOT).
        contexts.withPropertyValues("mesh.config-server.watch.enabled=false")
                .run(context -> assertThat(context.getBean(ConfigServerWatch.class).health().getDetails())
                        .containsEntry("watched", false)
                        .containsEntry("configuration", "not watched (mesh.config-server.watch.enabled=false)"));
        contexts.withPropertyValues("spring.cloud.config.enabled=false")
                .run(context -> assertThat(context.getBean(ConfigServerWatch.class).health().getDetails())
                        .containsEntry("watched", false)
                        .containsEntry("configuration", "the config client is off (spring.cloud.config.enabled=false)"));
    }

    @Test
    void anApplicationsOwnWatchReplacesIt() {
        contexts.withBean("ownWatch", ConfigServerWatch.class, () -> new ConfigServerWatch(new StandardEnvironment(),
                        new ConfigServerProperties("http://own:8888", Duration.ofSeconds(1), null),
                        Mono::empty, Set::of))
                .run(context -> assertThat(context).hasSingleBean(ConfigServerWatch.class).hasBean("ownWatch"));
    }

    @Test
    void aBadUrlStopsStartUpNamingTheValue() {
        contexts.withPropertyValues("mesh.config-server.url=localhost")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("was 'localhost'"));
    }
}
