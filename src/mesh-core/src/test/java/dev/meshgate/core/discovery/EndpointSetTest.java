package dev.meshgate.core.discovery;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EndpointSetTest {

    private static final Endpoint SEARCH_1 = new Endpoint("search-1", "127.0.0.1", 15106, Map.of());
    private static final Endpoint SEARCH_2 = new Endpoint("search-2", "127.0.0.1", 15206, Map.of());

    @Test
    void keepsItsOwnCopySoTheCallersListCannotChangeIt() {
        List<Endpoint> endpoints = new ArrayList<>(List.of(SEARCH_1));
        EndpointSet set = new EndpointSet("search", endpoints);

        endpoints.add(SEARCH_2);

        assertThat(set.size()).isEqualTo(1);
        assertThat(set.get(0)).isEqualTo(SEARCH_1);
        assertThat(set.isEmpty()).isFalse();
        assertThatThrownBy(() -> set.endpoints().add(SEARCH_2)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void anImmutableListIsTakenAsIsNotCopiedAgain() {
        List<Endpoint> endpoints = List.of(SEARCH_1, SEARCH_2);

        assertThat(new EndpointSet("search", endpoints).endpoints()).isSameAs(endpoints);
    }

    @Test
    void emptyMeansNobodyServesTheService() {
        EndpointSet nobody = EndpointSet.empty("nobody");

        assertThat(nobody.service()).isEqualTo("nobody");
        assertThat(nobody.isEmpty()).isTrue();
        assertThat(nobody.size()).isZero();
    }

    @Test
    void rejectsMissingValuesNamingThem() {
        assertThatThrownBy(() -> new EndpointSet(null, List.of())).hasMessageContaining("service");
        assertThatThrownBy(() -> new EndpointSet(" ", List.of())).hasMessageContaining("was ' '");
        assertThatThrownBy(() -> new EndpointSet("search", null)).hasMessageContaining("endpoints of service 'search'");
        assertThatThrownBy(() -> new EndpointSet("search", Arrays.asList(SEARCH_1, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("endpoint 1 of service 'search' is null");
    }
}
