@op:enrollmentConfigurationAssignment.update
Feature: Update enrollmentConfigurationAssignment
  PATCH /deviceManagement/deviceEnrollmentConfigurations/{deviceEnrollmentConfigurationId}/assignments/{enrollmentConfigurationAssignmentId}
  updates the target of an enrollment configuration assignment and answers with the updated assignment.
  Drawn from the doc page "Update enrollmentConfigurationAssignment" (fixture enrollmentConfigurationAssignment/update).

  Background:
    Given the resources the example "enrollmentConfigurationAssignment/update" addresses exist

  @req:ECA-UPDATE-001 @must
  Scenario: The documented example request updates the assignment
    The service MUST answer the documented example request with 200 OK and an application/json body that is the updated assignment: valid against the schema, under the path's id, with the target sent, and showing every property of the (truncated) example response.

    When the client sends the example request "enrollmentConfigurationAssignment/update"
    Then the response status is 200
    And the response media type is "application/json"
    And the response body validates against the "enrollmentConfigurationAssignment" schema
    And the response body "/id" is the id the request addressed
    And the response body "/target" contains the target sent
    And the response body matches the example entity of "enrollmentConfigurationAssignment/update" with the scenario's displayName and @odata.type

  @req:ECA-UPDATE-002 @must
  Scenario Outline: Each concrete target type is accepted and echoed: <type>
    The service MUST accept a PATCH whose target is any concrete deviceAndAppManagementAssignmentTarget type and answer 200 with that target.

    When the client sends PATCH to the assignment with body:
      """
      {"target": <target>}
      """
    Then the response status is 200
    And the response media type is "application/json"
    And the response body validates against the "enrollmentConfigurationAssignment" schema
    And the response body "/id" is the id the request addressed
    And the response body "/target" contains the target sent

    Examples:
      | type                                        | target                                                                                                                   |
      | allDevicesAssignmentTarget                  | {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}                                                           |
      | allLicensedUsersAssignmentTarget            | {"@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget"}                                                     |
      | groupAssignmentTarget                       | {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "5b1c3f4e-8d2a-4c6b-9e7f-0a1b2c3d4e5f"}             |
      | exclusionGroupAssignmentTarget              | {"@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", "groupId": "6c2d4a5f-9e3b-4d7c-8f0a-1b2c3d4e5f60"}     |
      | configurationManagerCollectionAssignmentTarget | {"@odata.type": "#microsoft.graph.configurationManagerCollectionAssignmentTarget", "collectionId": "SMS00001"}        |
