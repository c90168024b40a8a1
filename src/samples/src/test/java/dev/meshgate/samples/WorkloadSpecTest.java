package dev.meshgate.samples;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkloadSpecTest {

    @Test
    void parsesEveryKey() {
        WorkloadSpec spec = WorkloadSpec.parse(
                "name=planner,instance=planner-1,port=9001,version=v2,latency-ms=25,failure-rate=0.5,outbound=http://127.0.0.1:15001,host=127.0.0.2");
        assertThat(spec).isEqualTo(new WorkloadSpec("planner", "planner-1", "127.0.0.2", 9001, "v2", 25, 0.5,
                URI.create("http://127.0.0.1:15001")));
        assertThat(spec.kind()).isEqualTo(WorkloadSpec.Kind.PLANNER);
        assertThat(spec.outboundPort()).isEqualTo(15001);
    }

    @Test
    void fillsDefaultsForOptionalKeys() {
        WorkloadSpec spec = WorkloadSpec.parse("name=search,port=9101");
        assertThat(spec.instance()).isEqualTo("search-1");
        assertThat(spec.host()).isEqualTo("127.0.0.1");
        assertThat(spec.version()).isEqualTo("v1");
        assertThat(spec.latencyMs()).isZero();
        assertThat(spec.failureRate()).isZero();
        assertThat(spec.outbound()).isEqualTo(URI.create("http://127.0.0.1:15001"));
    }

    @Test
    void theNameDecidesTheKind() {
        assertThat(WorkloadSpec.parse("name=search,port=1").kind()).isEqualTo(WorkloadSpec.Kind.SEARCH);
        assertThat(WorkloadSpec.parse("name=calc,port=1").kind()).isEqualTo(WorkloadSpec.Kind.CALC);
        assertThat(WorkloadSpec.parse("name=weather,port=1").kind()).isEqualTo(WorkloadSpec.Kind.GENERIC_TOOL);
    }

    @Test
    void rejectsAnUnknownKeyNamingItAndTheKnownOnes() {
        assertThatThrownBy(() -> WorkloadSpec.parse("name=search,port=9101,colour=blue"))
                .hasMessage("--workload=name=search,port=9101,colour=blue: unknown key 'colour' (known keys: "
                        + "name, instance, host, port, version, latency-ms, failure-rate, outbound)");
    }

    @Test
    void rejectsBadNumbersQuotingTheValue() {
        assertThatThrownBy(() -> WorkloadSpec.parse("name=search,port=abc"))
                .hasMessageEndingWith("port must be a whole number between 0 and 65535, was 'abc'");
        assertThatThrownBy(() -> WorkloadSpec.parse("name=search,port=70000"))
                .hasMessageEndingWith("port must be a whole number between 0 and 65535, was '70000'");
        assertThatThrownBy(() -> WorkloadSpec.parse("name=search,port=1,latency-ms=-5"))
                .hasMessageEndingWith("latency-ms must be a whole number 0 or more, was '-5'");
        assertThatThrownBy(() -> WorkloadSpec.parse("name=search,port=1,failure-rate=1.5"))
                .hasMessageEndingWith("failure-rate must be a number between 0 and 1, was '1.5'");
        assertThatThrownBy(() -> WorkloadSpec.parse("name=search,port=1,failure-rate=NaN"))
                .hasMessageEndingWith("failure-rate must be a number between 0 and 1, was 'NaN'");
    }

    @Test
    void rejectsMissingOrMalformedPieces() {
        assertThatThrownBy(() -> WorkloadSpec.parse("name=search")).hasMessageEndingWith("port is required");
        assertThatThrownBy(() -> WorkloadSpec.parse("port=1")).hasMessageContaining("name is required");
        assertThatThrownBy(() -> WorkloadSpec.parse("name=search,port")).hasMessageEndingWith("'port' is not key=value");
        assertThatThrownBy(() -> WorkloadSpec.parse("name=search,port=1,port=2")).hasMessageEndingWith("key 'port' is given twice");
        assertThatThrownBy(() -> WorkloadSpec.parse("name=planner,port=1,outbound=ftp://x"))
                .hasMessageEndingWith("outbound must be an http://host:port URL, was 'ftp://x'");
        assertThatThrownBy(() -> WorkloadSpec.parse("name=a b,port=1")).hasMessageContaining("name must be letters");
    }

    @Test
    void theCommandLineRejectsDuplicateInstancesAndStrayArguments() {
        assertThat(SamplesMain.parse("--workload=name=search,port=1", "--workload=name=search,instance=search-2,port=2"))
                .extracting(WorkloadSpec::instance).containsExactly("search-1", "search-2");
        assertThatThrownBy(() -> SamplesMain.parse("--workload=name=search,port=1", "--workload=name=search,port=2"))
                .hasMessage("instance 'search-1' is given twice");
        assertThatThrownBy(() -> SamplesMain.parse("--port=1")).hasMessage("unknown argument '--port=1'");
    }
}
