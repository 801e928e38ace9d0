//! The AWS managed policies the curated layer describes, exactly as AWS publishes them
//! (`aws iam get-policy-version` output, in `assets/catalog/curated/managed/`): their
//! documents are AWS's facts, with the version id and the date of that version.

/// The `get-policy-version` text of the curated AWS managed policy `name`.
pub(crate) fn aws_document(name: &str) -> Option<&'static str> {
    Some(match name {
        "AWSLambdaBasicExecutionRole" => {
            include_str!("../../../assets/catalog/curated/managed/AWSLambdaBasicExecutionRole.json")
        }
        "AWSLambdaVPCAccessExecutionRole" => include_str!(
            "../../../assets/catalog/curated/managed/AWSLambdaVPCAccessExecutionRole.json"
        ),
        "AWSLambdaSQSQueueExecutionRole" => include_str!(
            "../../../assets/catalog/curated/managed/AWSLambdaSQSQueueExecutionRole.json"
        ),
        "AWSLambdaDynamoDBExecutionRole" => include_str!(
            "../../../assets/catalog/curated/managed/AWSLambdaDynamoDBExecutionRole.json"
        ),
        "AWSLambdaKinesisExecutionRole" => include_str!(
            "../../../assets/catalog/curated/managed/AWSLambdaKinesisExecutionRole.json"
        ),
        "AWSLambdaENIManagementAccess" => include_str!(
            "../../../assets/catalog/curated/managed/AWSLambdaENIManagementAccess.json"
        ),
        "AWSLambdaRole" => {
            include_str!("../../../assets/catalog/curated/managed/AWSLambdaRole.json")
        }
        "AWSLambdaExecute" => {
            include_str!("../../../assets/catalog/curated/managed/AWSLambdaExecute.json")
        }
        "AWSLambda_FullAccess" => {
            include_str!("../../../assets/catalog/curated/managed/AWSLambda_FullAccess.json")
        }
        "AWSXRayDaemonWriteAccess" => {
            include_str!("../../../assets/catalog/curated/managed/AWSXRayDaemonWriteAccess.json")
        }
        "CloudWatchAgentServerPolicy" => {
            include_str!("../../../assets/catalog/curated/managed/CloudWatchAgentServerPolicy.json")
        }
        "AmazonSSMManagedInstanceCore" => include_str!(
            "../../../assets/catalog/curated/managed/AmazonSSMManagedInstanceCore.json"
        ),
        "AmazonAPIGatewayPushToCloudWatchLogs" => include_str!(
            "../../../assets/catalog/curated/managed/AmazonAPIGatewayPushToCloudWatchLogs.json"
        ),
        "AmazonECSTaskExecutionRolePolicy" => include_str!(
            "../../../assets/catalog/curated/managed/AmazonECSTaskExecutionRolePolicy.json"
        ),
        "AmazonEC2ContainerRegistryReadOnly" => include_str!(
            "../../../assets/catalog/curated/managed/AmazonEC2ContainerRegistryReadOnly.json"
        ),
        "AmazonEC2ContainerRegistryPowerUser" => include_str!(
            "../../../assets/catalog/curated/managed/AmazonEC2ContainerRegistryPowerUser.json"
        ),
        "AmazonEKSClusterPolicy" => {
            include_str!("../../../assets/catalog/curated/managed/AmazonEKSClusterPolicy.json")
        }
        "AmazonEKSWorkerNodePolicy" => {
            include_str!("../../../assets/catalog/curated/managed/AmazonEKSWorkerNodePolicy.json")
        }
        "AmazonEKS_CNI_Policy" => {
            include_str!("../../../assets/catalog/curated/managed/AmazonEKS_CNI_Policy.json")
        }
        "AmazonS3ReadOnlyAccess" => {
            include_str!("../../../assets/catalog/curated/managed/AmazonS3ReadOnlyAccess.json")
        }
        "AmazonS3FullAccess" => {
            include_str!("../../../assets/catalog/curated/managed/AmazonS3FullAccess.json")
        }
        "AmazonDynamoDBReadOnlyAccess" => include_str!(
            "../../../assets/catalog/curated/managed/AmazonDynamoDBReadOnlyAccess.json"
        ),
        "AmazonDynamoDBFullAccess" => {
            include_str!("../../../assets/catalog/curated/managed/AmazonDynamoDBFullAccess.json")
        }
        "AmazonSQSFullAccess" => {
            include_str!("../../../assets/catalog/curated/managed/AmazonSQSFullAccess.json")
        }
        "AmazonSNSFullAccess" => {
            include_str!("../../../assets/catalog/curated/managed/AmazonSNSFullAccess.json")
        }
        "AmazonKinesisFullAccess" => {
            include_str!("../../../assets/catalog/curated/managed/AmazonKinesisFullAccess.json")
        }
        "SecretsManagerReadWrite" => {
            include_str!("../../../assets/catalog/curated/managed/SecretsManagerReadWrite.json")
        }
        "CloudWatchLogsFullAccess" => {
            include_str!("../../../assets/catalog/curated/managed/CloudWatchLogsFullAccess.json")
        }
        "CloudWatchReadOnlyAccess" => {
            include_str!("../../../assets/catalog/curated/managed/CloudWatchReadOnlyAccess.json")
        }
        "AmazonSSMReadOnlyAccess" => {
            include_str!("../../../assets/catalog/curated/managed/AmazonSSMReadOnlyAccess.json")
        }
        "AWSGlueServiceRole" => {
            include_str!("../../../assets/catalog/curated/managed/AWSGlueServiceRole.json")
        }
        "AmazonAthenaFullAccess" => {
            include_str!("../../../assets/catalog/curated/managed/AmazonAthenaFullAccess.json")
        }
        "AmazonBedrockFullAccess" => {
            include_str!("../../../assets/catalog/curated/managed/AmazonBedrockFullAccess.json")
        }
        "AmazonSageMakerFullAccess" => {
            include_str!("../../../assets/catalog/curated/managed/AmazonSageMakerFullAccess.json")
        }
        "AWSCodeBuildDeveloperAccess" => {
            include_str!("../../../assets/catalog/curated/managed/AWSCodeBuildDeveloperAccess.json")
        }
        "AdministratorAccess" => {
            include_str!("../../../assets/catalog/curated/managed/AdministratorAccess.json")
        }
        "PowerUserAccess" => {
            include_str!("../../../assets/catalog/curated/managed/PowerUserAccess.json")
        }
        "ReadOnlyAccess" => {
            include_str!("../../../assets/catalog/curated/managed/ReadOnlyAccess.json")
        }
        "ViewOnlyAccess" => {
            include_str!("../../../assets/catalog/curated/managed/ViewOnlyAccess.json")
        }
        "IAMReadOnlyAccess" => {
            include_str!("../../../assets/catalog/curated/managed/IAMReadOnlyAccess.json")
        }
        _ => return None,
    })
}
