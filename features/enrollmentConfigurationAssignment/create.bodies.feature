@op:enrollmentConfigurationAssignment.create
Feature: Create enrollmentConfigurationAssignment: generated bodies
  Valid create bodies generated from Graph's CSDL-derived type model, as for the update (update.bodies.feature).
  Written by hand.

  Background:
    Given the resources the example "enrollmentConfigurationAssignment/create" addresses exist

  @req:ECA-CREATE-020 @must
  Scenario: Generated valid assignments are created exactly
    The service MUST answer a POST of a valid assignment (a target of any type the metadata defines, with any legal values) with a 2xx and the created assignment holding the target sent, and a GET of the new assignment MUST return that target exactly.

    When the client creates assignments with generated valid bodies
    Then each generated body was created, echoed and read back exactly
