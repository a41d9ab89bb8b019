package io.ttsmesh.search;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import io.ttsmesh.search.architecture.Vocabulary;
import io.ttsmesh.search.architecture.a.UsesB;
import io.ttsmesh.search.architecture.b.UsesA;
import io.ttsmesh.search.tree.Policy;
import io.ttsmesh.search.tree.SearchTree;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The search module's packages, its root package included, form no cycle. The root package is the vocabulary of
 * a search (request, result, stop reason, method spec) and knows only the value types it carries (budget,
 * sampling, aggregation); {@code settings} is a pod's configuration (settings, prompt format, compute-optimal and
 * routing tables); the feature packages use both; the tree knows no policy or strategy; {@code run} (validation,
 * the runner) knows them all and nothing in the module knows it.
 */
class ArchitectureTest {

    private static final JavaClasses SEARCH = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.ttsmesh.search");

    static final ArchRule NO_PACKAGE_CYCLE = slices().assignedFrom(packagesUnder("io.ttsmesh.search"))
            .should().beFreeOfCycles();

    static final ArchRule NOTHING_USES_THE_RUNNER = noClasses()
            .that().resideOutsideOfPackage("io.ttsmesh.search.run..")
            .should().dependOnClassesThat().resideInAPackage("io.ttsmesh.search.run..");

    static final ArchRule POLICIES_SEE_ONLY_THEIR_CONTEXTS = noClasses().that().implement(Policy.class)
            .should().dependOnClassesThat().areAssignableTo(SearchTree.class)
            .because("a policy's hooks get typed contexts (Decisions, CheckpointActions, StepExpansion.Draws), not the tree");

    /** One slice per package directly under {@code base}, and one for {@code base} itself. */
    static SliceAssignment packagesUnder(String base) {
        return new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass c) {
                String name = c.getPackageName();
                if (name.equals(base)) {
                    return SliceIdentifier.of("(root)");
                }
                if (name.startsWith(base + ".")) {
                    return SliceIdentifier.of(name.substring(base.length() + 1).split("\\.")[0]);
                }
                return SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "the packages under " + base + " and " + base + " itself";
            }
        };
    }

    @Test
    void thePackagesRootIncludedFormNoCycle() {
        NO_PACKAGE_CYCLE.check(SEARCH);
    }

    @Test
    void nothingButTheRunnerUsesTheRunner() {
        NOTHING_USES_THE_RUNNER.check(SEARCH);
    }

    @Test
    void policiesCompileAgainstTheirContextsOnly() {
        POLICIES_SEE_ONLY_THEIR_CONTEXTS.check(SEARCH);
    }

    @Test
    void theCycleRuleSeesACycleBetweenFeaturesAndOneThroughTheRoot() {
        ArchRule rule = slices().assignedFrom(packagesUnder("io.ttsmesh.search.architecture")).should().beFreeOfCycles();
        EvaluationResult features = rule.evaluate(new ClassFileImporter().importClasses(UsesB.class, UsesA.class));
        assertThat(features.hasViolation()).isTrue();
        EvaluationResult throughRoot = rule.evaluate(new ClassFileImporter().importClasses(Vocabulary.class, UsesB.class));
        assertThat(throughRoot.hasViolation()).isTrue();
        assertThat(throughRoot.getFailureReport().toString()).contains("(root)");
    }
}
