package schema

// The type model below mirrors the CSDL excerpts of v1.0 and beta (graph-docs/metadata). It is the single
// source the JSON Schema files in schemas/ are generated from (see generate_test.go) and the answer to
// TargetTypes and ConfigurationTypes, so the mock, the suite and the schemas cannot disagree on the model.

const (
	namespace = "microsoft.graph."

	modelV1   = "v1.0"
	modelBeta = "beta"
)

// Model returns the type model a URL version segment selects: "beta" for beta, "v1.0" for anything else
// (v1.0 itself, and segments such as the seed page's "localtest", an early v1.0-shaped revision).
func Model(version string) string {
	if version == modelBeta {
		return modelBeta
	}
	return modelV1
}

var models = []string{modelV1, modelBeta}

// property is one structural property of a type; kind selects its JSON Schema (see propertySchema).
type property struct {
	name     string
	kind     string   // "string", "int32", "bool", "dateTime", "guid", "enum", "enumFlags", "strings", "complex"
	nullable bool     // Edm default is nullable; Nullable="false" in the CSDL clears it
	values   []string // enum members
	complex  string   // complex type name for kind "complex"
}

// typeDef is an entity or complex type; props are its own (not inherited) properties.
type typeDef struct {
	name     string
	base     string
	abstract bool
	props    []property
	// newerDocsOnly marks a type that newer doc pages show but neither metadata excerpt defines: a response
	// carrying it is checked against its documented shape, a request carrying it is rejected.
	newerDocsOnly bool
}

// Property constructors, named after the CSDL they transcribe: str is a nullable Edm.String, int32p an
// Edm.Int32 with Nullable="false" (int32n without it), enum a non-nullable enum property, complexp a
// nullable complex-typed property. model_test.go checks each against the metadata excerpts.
func str(name string) property        { return property{name: name, kind: "string", nullable: true} }
func int32p(name string) property     { return property{name: name, kind: "int32"} }
func int32n(name string) property     { return property{name: name, kind: "int32", nullable: true} }
func boolp(name string) property      { return property{name: name, kind: "bool"} }
func dateTime(name string) property   { return property{name: name, kind: "dateTime"} }
func guid(name string) property       { return property{name: name, kind: "guid"} }
func stringList(name string) property { return property{name: name, kind: "strings", nullable: true} }
func enum(name string, values ...string) property {
	return property{name: name, kind: "enum", values: values}
}
func enumFlags(name string, values ...string) property {
	return property{name: name, kind: "enumFlags", values: values}
}
func complexp(name, typ string) property {
	return property{name: name, kind: "complex", complex: typ, nullable: true}
}

var (
	enablement = []string{"notConfigured", "enabled", "disabled"}
	pinUsage   = []string{"allowed", "required", "disallowed"}
	platforms  = []string{"allPlatforms", "ios", "windows", "windowsPhone", "android", "androidForWork", "mac", "linux", "unknownFutureValue"}
)

// targetFamily is the deviceAndAppManagementAssignmentTarget hierarchy of a model, base first.
func targetFamily(model string) []typeDef {
	base := typeDef{name: "deviceAndAppManagementAssignmentTarget", abstract: true}
	if model == modelBeta {
		base.props = []property{
			str("deviceAndAppManagementAssignmentFilterId"),
			enum("deviceAndAppManagementAssignmentFilterType", "none", "include", "exclude"),
		}
	}
	return []typeDef{
		base,
		{name: "allDevicesAssignmentTarget", base: base.name},
		{name: "allLicensedUsersAssignmentTarget", base: base.name},
		{name: "groupAssignmentTarget", base: base.name, props: []property{str("groupId")}},
		{name: "exclusionGroupAssignmentTarget", base: "groupAssignmentTarget"},
		{name: "configurationManagerCollectionAssignmentTarget", base: base.name, props: []property{str("collectionId")}},
		{name: "scopeTagGroupAssignmentTarget", base: base.name, newerDocsOnly: true, props: []property{
			enum("targetType", "none", "user", "device", "unknownFutureValue"),
			str("entraObjectId"),
		}},
	}
}

// assignmentType is enrollmentConfigurationAssignment (entity: id comes from graph.entity).
func assignmentType(model string) typeDef {
	t := typeDef{name: "enrollmentConfigurationAssignment", props: []property{
		complexp("target", "deviceAndAppManagementAssignmentTarget"),
	}}
	if model == modelBeta {
		t.props = append(t.props,
			enum("source", "direct", "policySets"),
			str("sourceId"),
		)
	}
	return t
}

// platformRestrictionType is the one plain complex type configurations use.
func platformRestrictionType(model string) typeDef {
	t := typeDef{name: "deviceEnrollmentPlatformRestriction"}
	if model == modelBeta {
		t.props = append(t.props, stringList("blockedManufacturers"), stringList("blockedSkus"))
	}
	t.props = append(t.props,
		str("osMaximumVersion"),
		str("osMinimumVersion"),
		boolp("personalDeviceEnrollmentBlocked"),
		boolp("platformBlocked"),
	)
	return t
}

// configurationFamily is the deviceEnrollmentConfiguration hierarchy of a model, base first.
func configurationFamily(model string) []typeDef {
	beta := model == modelBeta
	base := typeDef{name: "deviceEnrollmentConfiguration", abstract: true, props: []property{
		dateTime("createdDateTime"),
		str("description"),
		str("displayName"),
		dateTime("lastModifiedDateTime"),
		int32p("priority"),
		int32p("version"),
	}}
	if beta {
		base.props = append(base.props,
			enum("deviceEnrollmentConfigurationType", "unknown", "limit", "platformRestrictions",
				"windowsHelloForBusiness", "defaultLimit", "defaultPlatformRestrictions",
				"defaultWindowsHelloForBusiness", "defaultWindows10EnrollmentCompletionPageConfiguration",
				"windows10EnrollmentCompletionPageConfiguration", "deviceComanagementAuthorityConfiguration",
				"singlePlatformRestriction", "unknownFutureValue", "enrollmentNotificationsConfiguration",
				"windowsRestore"),
			stringList("roleScopeTagIds"),
		)
	}
	restriction := func(name string) property { return complexp(name, "deviceEnrollmentPlatformRestriction") }

	restrictions := typeDef{name: "deviceEnrollmentPlatformRestrictionsConfiguration", base: base.name}
	if beta {
		restrictions.props = []property{
			restriction("androidForWorkRestriction"), restriction("androidRestriction"),
			restriction("iosRestriction"), restriction("macOSRestriction"), restriction("macRestriction"),
			restriction("tvosRestriction"), restriction("visionOSRestriction"),
			restriction("windowsHomeSkuRestriction"), restriction("windowsMobileRestriction"),
			restriction("windowsRestriction"),
		}
	} else {
		restrictions.props = []property{
			restriction("androidRestriction"), restriction("iosRestriction"), restriction("macOSRestriction"),
			restriction("windowsMobileRestriction"), restriction("windowsRestriction"),
		}
	}

	hello := typeDef{name: "deviceEnrollmentWindowsHelloForBusinessConfiguration", base: base.name, props: []property{
		enum("enhancedBiometricsState", enablement...),
		int32p("pinExpirationInDays"),
		enum("pinLowercaseCharactersUsage", pinUsage...),
		int32p("pinMaximumLength"),
		int32p("pinMinimumLength"),
		int32p("pinPreviousBlockCount"),
		enum("pinSpecialCharactersUsage", pinUsage...),
		enum("pinUppercaseCharactersUsage", pinUsage...),
		boolp("remotePassportEnabled"),
		boolp("securityDeviceRequired"),
		enum("state", enablement...),
		boolp("unlockWithBiometricsEnabled"),
	}}
	if beta {
		hello.props = append(hello.props,
			int32p("enhancedSignInSecurity"),
			enum("securityKeyForSignIn", enablement...),
		)
	}

	esp := typeDef{name: "windows10EnrollmentCompletionPageConfiguration", base: base.name, props: []property{
		boolp("allowNonBlockingAppInstallation"),
	}}
	if beta {
		esp.props = append(esp.props,
			boolp("allowDeviceResetOnInstallFailure"),
			boolp("allowDeviceUseOnInstallFailure"),
			boolp("allowLogCollectionOnInstallFailure"),
			boolp("blockDeviceSetupRetryByUser"),
			str("customErrorMessage"),
			boolp("disableUserStatusTrackingAfterFirstUser"),
			int32n("installProgressTimeoutInMinutes"),
			boolp("installQualityUpdates"),
			stringList("selectedMobileAppIds"),
			boolp("showInstallationProgress"),
			boolp("trackInstallProgressForAutopilotOnly"),
		)
	}

	family := []typeDef{
		base,
		{name: "deviceEnrollmentLimitConfiguration", base: base.name, props: []property{int32p("limit")}},
		restrictions,
		hello,
		esp,
	}
	if beta {
		family = append(family,
			typeDef{name: "deviceComanagementAuthorityConfiguration", base: base.name, props: []property{
				str("configurationManagerAgentCommandLineArgument"),
				boolp("installConfigurationManagerAgent"),
				int32p("managedDeviceAuthority"),
			}},
			typeDef{name: "deviceEnrollmentNotificationConfiguration", base: base.name, props: []property{
				enumFlags("brandingOptions", "none", "includeCompanyLogo", "includeCompanyName",
					"includeContactInformation", "includeCompanyPortalLink", "includeDeviceDetails",
					"unknownFutureValue"),
				str("defaultLocale"),
				guid("notificationMessageTemplateId"),
				stringList("notificationTemplates"),
				enum("platformType", platforms...),
				enum("templateType", "email", "push", "unknownFutureValue"),
			}},
			typeDef{name: "deviceEnrollmentPlatformRestrictionConfiguration", base: base.name, props: []property{
				restriction("platformRestriction"),
				enum("platformType", platforms...),
			}},
			typeDef{name: "windowsRestoreDeviceEnrollmentConfiguration", base: base.name, props: []property{
				enum("state", enablement...),
			}},
		)
	}
	return family
}

// allProps returns t's properties including inherited ones, base first.
func allProps(family []typeDef, t typeDef) []property {
	if t.base == "" {
		return t.props
	}
	for _, b := range family {
		if b.name == t.base {
			return append(append([]property(nil), allProps(family, b)...), t.props...)
		}
	}
	return t.props
}

// TargetTypes returns the assignment target type names a request under version may carry, without '#':
// the base type (the seed page's example sends it) and every type derived from it in the metadata.
// scopeTagGroupAssignmentTarget is not among them (see schemas/README.md).
func TargetTypes(version string) []string {
	var out []string
	for _, t := range targetFamily(Model(version)) {
		if !t.newerDocsOnly {
			out = append(out, namespace+t.name)
		}
	}
	return out
}

// ConfigurationTypes returns the concrete deviceEnrollmentConfiguration types a create request under
// version may name, without '#'. The abstract base is not creatable.
func ConfigurationTypes(version string) []string {
	var out []string
	for _, t := range configurationFamily(Model(version)) {
		if !t.abstract {
			out = append(out, namespace+t.name)
		}
	}
	return out
}

// NormalizeType strips the leading '#' OData allows on @odata.type values:
// "#microsoft.graph.x" and "microsoft.graph.x" name the same type.
func NormalizeType(s string) string {
	if len(s) > 0 && s[0] == '#' {
		return s[1:]
	}
	return s
}
